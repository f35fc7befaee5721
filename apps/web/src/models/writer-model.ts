/**
 * The writer: every label edit goes through here, into the durable outbox, then to the server.
 *
 * Rules (issue 5):
 * - One pending entry per item: a new edit merges into the item's unsent entry under a new key
 *   (`mergePatch`); an entry already sent is never changed — the edit waits in a new entry.
 * - At most one write per item in flight per tab; the next one is sent on top of the version the
 *   previous answer returned.
 * - Answers: 2xx → done; 409 → conflict (kept until the user chooses); 400/403/404/413/422 →
 *   failed, shown until dismissed; network errors, 429 and 5xx (503 persistence_unavailable) →
 *   retried with backoff; 401 → left pending (the app shows the token page).
 * - Entries bound to another gallery's log are never sent here; they are offered as a download.
 * - Edits on several items at once share one key and go out as one POST /items/patch.
 */
import type { CanonicalPath, Patch, Sidecar } from '@lenslet/core';
import { batch, computed, signal } from '@preact/signals';
import { type Api, NetworkError, statusOf } from '../api.ts';
import type { OutboxEntry, OutboxStore } from '../outbox.ts';
import { backoffDelay } from '../stream.ts';
import type { ItemStore } from './items-model.ts';
import { isEmptyPatch, mergePatch } from './merge-patch.ts';

/** Most write requests this tab has open at once (the live stream needs a connection too). */
export const MAX_REQUESTS_IN_FLIGHT = 4;
/** Most items in one bulk request (the server's limit is 10,000). */
export const MAX_BULK_ITEMS = 2_000;
/** Answers remembered for undo. */
const MAX_ACKS = 5_000;

export type Ack = {
  readonly path: CanonicalPath;
  readonly seq: number | null;
  readonly version: number;
};

export type WriterDeps = {
  readonly api: Pick<Api, 'patch' | 'bulk'>;
  readonly store: OutboxStore;
  readonly items: ItemStore;
  readonly clientId: string;
  /** The connected server's log, null until the first `hello`. */
  readonly logId: () => string | null;
  readonly newKey: () => string;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Is the tab that owns an entry still open? (Web Locks); entries of closed tabs are adopted. */
  readonly ownerAlive?: (owner: string) => Promise<boolean>;
  /** Called when the server needs a token (401). */
  readonly onUnauthorized?: () => void;
};

export type Writer = ReturnType<typeof createWriter>;

export function createWriter(deps: WriterDeps) {
  const now = deps.now ?? Date.now;
  const entries = signal<ReadonlyMap<string, OutboxEntry>>(new Map());
  const retryAt = new Map<string, number>();
  const failures = signal(0);
  const inflight = new Set<CanonicalPath>();
  let requests = 0;
  const persisting = new Map<string, Promise<void>>();
  const waiters = new Map<string, ((ack: Ack | null) => void)[]>();
  const sentKeys = new Set<string>();
  /** Answers of entries that left the outbox (undo asks for them later). */
  const acks = new Map<string, Ack | null>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const mine = (e: OutboxEntry) => e.owner === deps.clientId;
  const current = (e: OutboxEntry) => e.log_id === null || e.log_id === deps.logId();

  const all = computed(() => [...entries.value.values()].filter(mine));
  const pending = computed(() => all.value.filter((e) => e.state === 'pending' && current(e)));
  const conflicts = computed(() => all.value.filter((e) => e.state === 'conflict' && current(e)));
  const failed = computed(() => all.value.filter((e) => e.state === 'failed' && current(e)));
  /** Entries of another gallery (any tab's): never sent here. */
  const foreign = computed(() => {
    const log = deps.logId();
    return log === null
      ? []
      : [...entries.value.values()].filter((e) => e.log_id !== null && e.log_id !== log);
  });
  /** Pending entries per path (for the optimistic display and conflict badges). */
  const byPath = computed(() => {
    const map = new Map<CanonicalPath, OutboxEntry[]>();
    for (const e of all.value) {
      if (!current(e)) continue;
      const list = map.get(e.path);
      if (list) list.push(e);
      else map.set(e.path, [e]);
    }
    return map;
  });
  /** 'saved' | 'saving' | 'retrying' (the last attempt failed: Not saved — retry). */
  const status = computed(() => {
    if (pending.value.length === 0) return 'saved';
    return failures.value > 0 ? 'retrying' : 'saving';
  });

  const write = (entry: OutboxEntry) => {
    const next = new Map(entries.peek());
    next.set(entry.id, entry);
    entries.value = next;
    const p = (persisting.get(entry.id) ?? Promise.resolve())
      .catch(() => {})
      .then(() => deps.store.put(entry));
    persisting.set(entry.id, p);
    return p;
  };
  const remove = (id: string) => {
    const next = new Map(entries.peek());
    next.delete(id);
    entries.value = next;
    retryAt.delete(id);
    const p = (persisting.get(id) ?? Promise.resolve())
      .catch(() => {})
      .then(() => deps.store.delete(id));
    persisting.set(id, p);
    void p.finally(() => {
      if (persisting.get(id) === p) persisting.delete(id);
    });
    return p;
  };
  const settle = (id: string, ack: Ack | null) => {
    acks.set(id, ack);
    if (acks.size > MAX_ACKS) acks.delete(acks.keys().next().value!);
    for (const fn of waiters.get(id) ?? []) fn(ack);
    waiters.delete(id);
  };

  const entriesFor = (path: CanonicalPath) =>
    [...entries.peek().values()]
      .filter((e) => e.path === path && mine(e) && current(e) && e.state === 'pending')
      .sort((a, b) => a.created_at - b.created_at);

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      pump();
    }, ms);
  };

  function pump(): void {
    const log = deps.logId();
    if (log === null) return;
    const t = now();
    let wait = Number.POSITIVE_INFINITY;
    const heads: OutboxEntry[] = [];
    const seen = new Set<CanonicalPath>();
    const sorted = [...entries.peek().values()].sort((a, b) => a.created_at - b.created_at);
    for (const e of sorted) {
      if (!mine(e) || e.state !== 'pending' || !current(e) || seen.has(e.path)) continue;
      seen.add(e.path);
      if (inflight.has(e.path)) continue;
      const at = retryAt.get(e.id) ?? 0;
      if (at > t) {
        wait = Math.min(wait, at - t);
        continue;
      }
      heads.push(e);
    }
    const groups = new Map<string, OutboxEntry[]>();
    for (const e of heads) {
      if (requests >= MAX_REQUESTS_IN_FLIGHT) break;
      if (e.bulk) {
        const group = groups.get(e.key);
        if (group) {
          if (group.length < MAX_BULK_ITEMS) group.push(e);
          continue;
        }
        groups.set(e.key, [e]);
        requests += 1;
      } else {
        requests += 1;
        void send([e], log);
      }
    }
    for (const group of groups.values()) void send(group, log);
    if (wait < Number.POSITIVE_INFINITY) schedule(wait);
  }

  async function send(group: OutboxEntry[], log: string): Promise<void> {
    for (const e of group) inflight.add(e.path);
    try {
      const ready = group.map((e) =>
        e.sent && e.log_id === log ? e : { ...e, sent: true, log_id: log },
      );
      // Durable before the request leaves: a crash after this re-sends the identical request.
      await Promise.all(ready.map((e, i) => (e === group[i] ? persisting.get(e.id) : write(e))));
      for (const e of ready) sentKeys.add(e.key);
      const first = ready[0]!;
      if (!first.bulk) {
        try {
          const answer = await deps.api.patch(first.path, first.patch, first.key, first.base);
          succeed(first, answer.sidecar, answer.accepted_event?.seq ?? null);
        } catch (error) {
          fail(ready, error);
        }
      } else {
        try {
          const answer = await deps.api.bulk(
            ready.map((e) => ({ path: e.path, base_version: e.base })),
            first.patch,
            first.key,
          );
          const byPath = new Map(answer.results.map((r) => [r.path, r]));
          for (const e of ready) {
            const r = byPath.get(e.path);
            if (r?.sidecar) succeed(e, r.sidecar, r.sidecar.seq);
            else if (r?.current || r?.status === 'conflict') conflict(e, r.current, r.error);
            else if (r?.error?.error === 'persistence_unavailable') retry([e]);
            else endFailed(e, r?.error?.error ?? 'failed', r?.error?.message ?? 'not saved');
          }
        } catch (error) {
          fail(ready, error);
        }
      }
    } finally {
      for (const e of group) inflight.delete(e.path);
      requests -= 1;
      pump();
    }
  }

  function succeed(e: OutboxEntry, sidecar: Sidecar, seq: number | null) {
    batch(() => {
      deps.items.putSidecar(sidecar);
      void remove(e.id);
      failures.value = 0;
      // The next edit of this item goes on top of the version we just got back.
      const next = entriesFor(e.path).find((n) => n.id !== e.id && !n.sent);
      if (next && next.base < sidecar.version) void write({ ...next, base: sidecar.version });
    });
    settle(e.id, { path: e.path, seq, version: sidecar.version });
  }

  function conflict(e: OutboxEntry, current: Sidecar | undefined, error?: { message: string }) {
    if (current) deps.items.putSidecar(current);
    void write({
      ...e,
      state: 'conflict',
      error: { code: 'version_conflict', message: error?.message ?? 'changed by someone else' },
      ...(current ? { current } : {}),
    });
    settle(e.id, null);
  }

  function endFailed(e: OutboxEntry, code: string, message: string) {
    void write({ ...e, state: 'failed', error: { code, message } });
    settle(e.id, null);
  }

  function retry(group: OutboxEntry[]) {
    failures.value += 1;
    const at = now() + backoffDelay(Math.min(failures.value, 6), deps.random);
    for (const e of group) retryAt.set(e.id, at);
    schedule(at - now());
  }

  function fail(group: OutboxEntry[], error: unknown) {
    const status = statusOf(error);
    if (error instanceof NetworkError || status === 0 || status === 429 || status >= 500) {
      retry(group);
      return;
    }
    if (status === 401) {
      deps.onUnauthorized?.();
      retry(group);
      return;
    }
    const body = (error as { details?: { current?: Sidecar } }).details;
    if (status === 409 && body?.current) {
      for (const e of group) conflict(e, body.current, error as Error);
      return;
    }
    const code = (error as { code?: string }).code ?? String(status);
    for (const e of group) endFailed(e, code, (error as Error).message);
  }

  return {
    pending,
    conflicts,
    failed,
    foreign,
    byPath,
    status,
    /** Keys this tab sent: a live update carrying one is our own echo. */
    sentKeys: sentKeys as ReadonlySet<string>,

    /** Load the outbox and start sending. */
    async init(): Promise<void> {
      await this.adopt();
    },

    /** (Re)load the outbox; take over entries whose tab is gone (closed, crashed). */
    async adopt(): Promise<void> {
      const loaded = await deps.store.all();
      const map = new Map(entries.peek());
      let changed = false;
      for (const e of loaded) {
        let entry = e;
        if (!mine(e) && !(await deps.ownerAlive?.(e.owner))) {
          entry = { ...e, owner: deps.clientId };
          await deps.store.put(entry);
          map.set(entry.id, entry);
          changed = true;
        } else if (!map.has(e.id)) {
          map.set(e.id, e);
          changed = true;
        }
      }
      if (changed) entries.value = map;
      pump();
    },

    /**
     * Record an edit on one or more items. Returns one entry id per path (for undo).
     * `base` overrides the version the edit is made on (undo sends the record's version).
     */
    edit(paths: readonly CanonicalPath[], patch: Patch, base?: number): string[] {
      const log = deps.logId();
      const groupKey = paths.length > 1 ? deps.newKey() : null;
      const ids: string[] = [];
      batch(() => {
        for (const path of paths) {
          const last = entriesFor(path).at(-1);
          if (last && !last.sent && base === undefined) {
            const merged = mergePatch(last.patch, patch);
            ids.push(last.id);
            if (isEmptyPatch(merged)) {
              void remove(last.id);
              settle(last.id, null);
            } else {
              void write({ ...last, patch: merged, key: deps.newKey(), bulk: false });
            }
            continue;
          }
          const id = deps.newKey();
          ids.push(id);
          void write({
            id,
            log_id: log,
            path,
            key: groupKey ?? id,
            patch,
            base: base ?? deps.items.get(path)?.labels.peek().version ?? 1,
            bulk: groupKey !== null,
            sent: false,
            owner: deps.clientId,
            created_at: now(),
            state: 'pending',
          });
        }
      });
      queueMicrotask(pump);
      return ids;
    },

    /** Resolves when the entry leaves the outbox: its ack, or null (failed, conflict, merged away). */
    settled(id: string): Promise<Ack | null> {
      if (acks.has(id)) return Promise.resolve(acks.get(id)!);
      const e = entries.peek().get(id);
      if (e?.state !== 'pending') return Promise.resolve(null);
      return new Promise((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
      });
    },

    /** Conflict: re-send mine on top of their version, or keep theirs (drop mine). */
    resolve(id: string, choice: 'mine' | 'theirs'): void {
      const e = entries.peek().get(id);
      if (e?.state !== 'conflict') return;
      batch(() => {
        void remove(id);
        if (choice === 'mine') {
          const base =
            e.current?.version ?? deps.items.get(e.path)?.labels.peek().version ?? e.base;
          const fresh = deps.newKey();
          void write({
            ...e,
            id: fresh,
            key: fresh,
            base,
            bulk: false,
            sent: false,
            state: 'pending',
            created_at: now(),
            error: undefined,
            current: undefined,
          } as OutboxEntry);
        }
      });
      queueMicrotask(pump);
    },

    /** Drop a failed entry (the user has seen it) or another gallery's entries. */
    dismiss(ids: readonly string[]): void {
      for (const id of ids) void remove(id);
    },

    /** Retry everything waiting for its backoff now (the "retry" button, `online`). */
    retryNow(): void {
      retryAt.clear();
      pump();
    },

    /** Resume sending (e.g. the log_id became known). */
    pump,

    /** Wait until every write made so far is in IndexedDB (tests, pagehide). */
    flush: () => Promise.all([...persisting.values()]).then(() => {}),
  };
}
