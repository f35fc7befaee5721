/**
 * Test kit for the label, live-stream and presence routes (not exported from the package): a fake
 * gallery index, a server on a real port, and an SSE reader built on eventsource-parser.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanonicalPath, parentPath } from '@lenslet/core';
import type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  ImageEntry,
  Thumbnailer,
} from '@lenslet/gallery';
import type { LabelStore } from '@lenslet/store';
import * as storePackage from '@lenslet/store';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createApp, type LensletApp } from './app.ts';
import { DEFAULT_CONFIG, type ServerDeps } from './context.ts';

export const p = (s: string) => s as CanonicalPath;

/** A gallery index over a set of image paths; `add`/`remove` emit folder updates. */
export class FakeGallery implements GalleryIndex {
  readonly roots = [{ prefix: p('/'), dir: '/nonexistent' }];
  readonly #images = new Map<CanonicalPath, ImageEntry>();
  readonly #listeners = new Set<(u: FolderUpdate) => void>();

  constructor(paths: Iterable<string> = []) {
    for (const path of paths) this.#put(p(path));
  }

  #put(path: CanonicalPath): void {
    this.#images.set(path, {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      mime: 'image/jpeg',
      width: 10,
      height: 10,
      size: 100,
      mtime_ms: 0,
      added_at: '2026-01-01T00:00:00.000Z',
    });
  }

  add(path: string): void {
    this.#put(p(path));
    const update = { path: parentPath(p(path)), added: 1, removed: 0, changed: 0 };
    for (const l of this.#listeners) l(update);
  }

  remove(path: string): void {
    this.#images.delete(p(path));
    const update = { path: parentPath(p(path)), added: 0, removed: 1, changed: 0 };
    for (const l of this.#listeners) l(update);
  }

  get(path: CanonicalPath) {
    return this.#images.get(path);
  }

  /** Any path is a folder (possibly empty); its subfolders are those of the images below it. */
  folder(path: CanonicalPath): FolderEntry | undefined {
    const prefix = path === '/' ? '/' : `${path}/`;
    const items: CanonicalPath[] = [];
    const folders = new Set<string>();
    let count = 0;
    for (const image of [...this.#images.keys()].sort()) {
      if (!image.startsWith(prefix)) continue;
      count++;
      const slash = image.indexOf('/', prefix.length);
      if (slash < 0) items.push(image);
      else folders.add(image.slice(prefix.length, slash));
    }
    return { path, name: '', folders: [...folders].sort(), items, count };
  }

  *items(folder: CanonicalPath, recursive: boolean): Iterable<ImageEntry> {
    for (const entry of [...this.#images.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const parent = parentPath(entry.path);
      if (recursive ? folder === '/' || entry.path.startsWith(`${folder}/`) : parent === folder) {
        yield entry;
      }
    }
  }

  folderPaths(): CanonicalPath[] {
    return [p('/')];
  }

  async resolveFile(path: CanonicalPath): Promise<string> {
    return `/nonexistent${path}`;
  }

  status() {
    return {
      indexing: {
        state: 'ready' as const,
        items: this.#images.size,
        skipped: { invalid_name: 0, duplicate_normalized: 0, outside_root: 0, unreadable: 0 },
        error: null,
      },
      watch: { mode: 'off' as const, requested: 'off' as const, reason: null },
    };
  }

  onFolderUpdate(listener: (u: FolderUpdate) => void) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {}
}

export const noThumbnails: Thumbnailer = {
  thumbnail: async () => {
    throw new Error('no thumbnails in this test');
  },
  stats: () => ({ memory_entries: 0, memory_bytes: 0, disk_cache: false, rendered: 0, queued: 0 }),
  close: async () => {},
};

/** A store that can be closed and reopened on the same workspace (JSONL), or memory only. */
export type StoreKind = {
  readonly name: string;
  readonly persistent: boolean;
  open(dir: string): Promise<LabelStore>;
};

type JsonlOpener = (dir: string, options?: Record<string, unknown>) => Promise<LabelStore>;

/** The JSONL store's opener once @lenslet/store exports it, else null. */
export function jsonlOpener(): JsonlOpener | null {
  const opener = (storePackage as Record<string, unknown>).openJsonlStore;
  return typeof opener === 'function' ? (opener as JsonlOpener) : null;
}

/** The stores to run real-port tests against. */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [
    { name: 'memory', persistent: false, open: async () => storePackage.openMemoryStore() },
  ];
  const openJsonl = jsonlOpener();
  if (openJsonl) kinds.push({ name: 'jsonl', persistent: true, open: (dir) => openJsonl(dir) });
  return kinds;
}

export type Running = {
  readonly lenslet: LensletApp;
  readonly server: Server;
  readonly url: string;
  stop(): Promise<void>;
};

/** createApp + listen(0) on 127.0.0.1, through `handler` (the fast lane, then express). */
export async function startServer(
  deps: Partial<ServerDeps> & Pick<ServerDeps, 'store'>,
): Promise<Running> {
  const lenslet = createApp({
    gallery: new FakeGallery(),
    thumbnailer: noThumbnails,
    config: DEFAULT_CONFIG,
    ...deps,
  });
  const server = createServer(lenslet.handler).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    lenslet,
    server,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await lenslet.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SseEvent = {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
};

/** A live `GET /events` stream read with fetch + eventsource-parser. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly status: number;
  readonly headers: Headers;
  ended = false;
  readonly #controller: AbortController;
  readonly #waiters = new Set<() => void>();

  private constructor(response: Response, controller: AbortController) {
    this.status = response.status;
    this.headers = response.headers;
    this.#controller = controller;
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.events.push({
          event: message.event ?? 'message',
          id: message.id,
          data: JSON.parse(message.data),
        });
        this.#wake();
      },
      onComment: (comment) => {
        this.comments.push(comment.trim());
        this.#wake();
      },
    });
    void (async () => {
      try {
        const decoder = new TextDecoder();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
        }
      } catch {
        // aborted or reset
      }
      this.ended = true;
      this.#wake();
    })();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    return new SseReader(response, controller);
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Wait until `done()` holds (checked after every event), or fail after `timeoutMs`. */
  async until(
    done: (reader: SseReader) => boolean,
    timeoutMs = 5_000,
    what = 'events',
  ): Promise<void> {
    if (done(this)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.names())}`));
      }, timeoutMs);
      const check = () => {
        if (!done(this)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** Wait for the n-th event named `name` (1-based) and return it. */
  async nth(name: string, n = 1, timeoutMs = 5_000): Promise<SseEvent> {
    await this.until((r) => r.named(name).length >= n, timeoutMs, `${n}× ${name}`);
    return this.named(name)[n - 1]!;
  }

  named(name: string): SseEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  /** seq of every label record received, in order. */
  recordSeqs(): number[] {
    return this.events
      .filter((e) => e.event === 'item-updated' || e.event === 'metrics-updated')
      .map((e) => Number(e.id));
  }

  names(): string[] {
    return this.events.map((e) => e.event);
  }

  close(): void {
    this.#controller.abort();
  }
}

/** A parsed JSON answer, read loosely by tests. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
export type Json = any;

/** Small JSON fetch helper: `{status, body, headers}`. */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (an export in CSV, for instance)
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

let keyCounter = 0;
/** A fresh Idempotency-Key. */
export function newKey(prefix = 'test-key'): string {
  keyCounter += 1;
  return `${prefix}-${process.pid}-${String(keyCounter).padStart(6, '0')}`;
}

/** A store that forwards to `store` except for `overrides` (fault injection in route tests). */
export function delegateStore(store: LabelStore, overrides: Partial<LabelStore>): LabelStore {
  const forward: LabelStore = {
    get log_id() {
      return store.log_id;
    },
    head: () => store.head(),
    get: (path) => store.get(path),
    items: () => store.items(),
    apply: (entry, meta) => store.apply(entry, meta),
    applyBatch: (entries, meta) => store.applyBatch(entries, meta),
    replay: (after, until) => store.replay(after, until),
    history: (path, query) => store.history(path, query),
    stateAt: (seq) => store.stateAt(seq),
    subscribe: (listener) => store.subscribe(listener),
    onStatus: (listener) => store.onStatus(listener),
    status: () => store.status(),
    compact: () => store.compact(),
    close: () => store.close(),
  };
  return Object.assign(forward, overrides);
}
