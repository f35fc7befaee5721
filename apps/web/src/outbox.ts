/**
 * The durable outbox: label edits not yet acknowledged by the server, kept in IndexedDB so they
 * survive a reload, a closed tab or a crashed browser, and are re-sent with the same
 * Idempotency-Key (the server answers a retried key with the original result, never twice).
 *
 * Invariants:
 * - An entry is written here before its request leaves the browser, and marked `sent` before the
 *   request starts; a sent entry is never changed again (a retry must be byte-identical).
 * - Each entry is bound to the `log_id` of the gallery it was made in: it is only ever sent to a
 *   server with that log.
 * - Entries leave only on a 2xx, or by the user's choice (conflict resolved, failure dismissed).
 */
import type { CanonicalPath, Patch, Sidecar } from '@lenslet/core';

export type OutboxState = 'pending' | 'conflict' | 'failed';

export type OutboxEntry = {
  /** Stable id of this entry (survives merges; an undo step points at it). */
  readonly id: string;
  /** The gallery's log this edit belongs to (null until the first `hello` named it). */
  readonly log_id: string | null;
  readonly path: CanonicalPath;
  /** Idempotency-Key of the request; a merge into an unsent entry assigns a new one. */
  readonly key: string;
  /** The label operations (never `base_version`: that is `base`). */
  readonly patch: Patch;
  /** Version of the item the edit was made on. */
  readonly base: number;
  /** Sent as part of POST /items/patch under `key` (several entries share one key). */
  readonly bulk: boolean;
  /** A request with exactly this key and body may have reached the server. */
  readonly sent: boolean;
  /** Tab (client id) that sends it; entries of closed tabs are adopted. */
  readonly owner: string;
  readonly created_at: number;
  readonly state: OutboxState;
  /** Why it failed (failed) or what the conflict said (conflict). */
  readonly error?: { readonly code: string; readonly message: string };
  /** Their labels, for a conflict. */
  readonly current?: Sidecar;
};

/** The storage port: IndexedDB in the browser, memory in unit tests. */
export interface OutboxStore {
  all(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

/** In-memory store for unit tests (and browsers where IndexedDB is unavailable). */
export function createMemoryOutbox(initial: readonly OutboxEntry[] = []): OutboxStore & {
  readonly entries: Map<string, OutboxEntry>;
} {
  const entries = new Map(initial.map((e) => [e.id, e]));
  return {
    entries,
    all: async () => [...entries.values()].map((e) => structuredClone(e)),
    put: async (entry) => {
      entries.set(entry.id, structuredClone(entry));
    },
    delete: async (id) => {
      entries.delete(id);
    },
  };
}

/**
 * A store that becomes available later (IndexedDB opens while the first page loads). If it never
 * opens, edits are kept in memory (they still reach the server, but not a reload) and
 * `unavailable` is told why.
 */
export function deferredOutbox(
  opening: Promise<OutboxStore>,
  unavailable: (error: unknown) => void,
): OutboxStore {
  const ready = opening.catch((error: unknown) => {
    unavailable(error);
    return createMemoryOutbox();
  });
  return {
    all: async () => (await ready).all(),
    put: async (entry) => (await ready).put(entry),
    delete: async (id) => (await ready).delete(id),
  };
}

const STORE = 'outbox';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Open (creating if needed) the outbox database. */
export async function openIndexedDbOutbox(
  factory: IDBFactory,
  name = 'lenslet-outbox',
): Promise<OutboxStore> {
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) {
      open.result.createObjectStore(STORE, { keyPath: 'id' });
    }
  };
  const db = await done(open);
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      // strict: the write is flushed to disk before `complete` (Chromium defaults to relaxed).
      const tx = db.transaction(STORE, mode, {
        durability: mode === 'readonly' ? 'default' : 'strict',
      });
      const request = fn(tx.objectStore(STORE));
      // Resolve on commit, not on request success: only then is the write durable.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('outbox transaction aborted'));
    });
  return {
    all: () => run('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>),
    put: async (entry) => {
      await run('readwrite', (s) => s.put(entry));
    },
    delete: async (id) => {
      await run('readwrite', (s) => s.delete(id));
    },
  };
}
