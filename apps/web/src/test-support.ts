/** Fakes for unit tests: a controllable SSE server on a fake fetch, locks and channels. */
import { type CanonicalPath, type HealthAnswer, type ItemUpdate, ROOT_PATH } from '@lenslet/core';
import type { ChannelLike, LockManagerLike } from './feed.ts';
import type { OutboxEntry } from './outbox.ts';

export type FakeConnection = {
  readonly url: string;
  readonly headers: Record<string, string>;
  send(text: string): void;
  event(name: string, data: unknown, id?: number): void;
  end(): void;
  readonly aborted: boolean;
};

/** A fetch whose `/events` answers are streams the test writes to. */
export function createSseFetch(status = 200) {
  const connections: FakeConnection[] = [];
  const encoder = new TextEncoder();
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (status !== 200) return new Response('{}', { status });
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let closed = false;
    let aborted = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    init?.signal?.addEventListener('abort', () => {
      aborted = true;
      if (!closed) controller.error(new DOMException('aborted', 'AbortError'));
      closed = true;
    });
    const conn: FakeConnection = {
      url,
      headers: { ...(init?.headers as Record<string, string>) },
      send: (text) => controller.enqueue(encoder.encode(text)),
      event(name, data, id) {
        this.send(
          `event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`,
        );
      },
      end() {
        if (!closed) controller.close();
        closed = true;
      },
      get aborted() {
        return aborted;
      },
    };
    connections.push(conn);
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  }) as typeof globalThis.fetch;
  return { fetch, connections };
}

/** An item-updated payload. */
export function itemUpdate(over: Partial<ItemUpdate> = {}): ItemUpdate {
  return {
    seq: 1,
    path: '/a.jpg' as ItemUpdate['path'],
    star: 3,
    tags: [],
    notes: '',
    metrics: {},
    version: 2,
    updated_at: '2026-01-01T00:00:00.000Z',
    updated_by: 'ana',
    changed_fields: ['star'],
    changes: [{ kind: 'star_set', star: 3, from: null }],
    mutation_id: 'mutation-1',
    ...over,
  };
}

/** A pending, unsent outbox entry of tab `me` for /a.jpg (key `<id>-key`). */
export function outboxEntry(id: string, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    log_id: 'LOG',
    path: '/a.jpg' as CanonicalPath,
    key: `${id}-key`,
    patch: { set_star: 1 },
    base: 1,
    bulk: false,
    sent: false,
    owner: 'me',
    created_at: 1,
    state: 'pending',
    ...over,
  };
}

/** A complete `GET /health` answer (core's protocol); `labels` fields can be overridden. */
export function healthAnswer(labels: Partial<HealthAnswer['labels']> = {}): HealthAnswer {
  return {
    ok: true,
    version: '0.0.0',
    mode: 'folder',
    can_write: true,
    read_only: false,
    ephemeral: false,
    ephemeral_reason: null,
    auth: { token_required: false, public_url: null },
    roots: [{ prefix: ROOT_PATH }],
    labels: {
      enabled: true,
      log_id: 'LOG',
      durability: 'fsync',
      state: 'saved',
      error: null,
      since: '2026-01-01T00:00:00.000Z',
      seq: 0,
      snapshot_seq: 0,
      oldest_seq: 1,
      log_bytes: 0,
      last_fsync_ms: null,
      labeled_items: 0,
      integrity: { recovered: null, history: { state: 'ok', through_seq: 0, problem: null } },
      ...labels,
    },
    presence: {},
    live: { clients: 0 },
    indexing: {
      state: 'ready',
      items: 0,
      skipped: {},
      error: null,
    },
    watch: { mode: 'off', requested: 'off', reason: null },
    thumbnails: { size: 256, quality: 70 },
  };
}

/** Web Locks with exclusive named locks, released when the callback's promise settles. */
export function createFakeLocks(): LockManagerLike {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  return {
    request(name, callback) {
      return new Promise((resolve) => {
        const run = () => {
          held.add(name);
          void callback().finally(() => {
            held.delete(name);
            const next = queues.get(name)?.shift();
            next?.();
            resolve(undefined);
          });
        };
        if (held.has(name)) {
          const q = queues.get(name) ?? [];
          q.push(run);
          queues.set(name, q);
        } else run();
      });
    },
  };
}

/** BroadcastChannel semantics: a message reaches every other open member, asynchronously. */
export function createFakeChannelHub() {
  const members = new Set<ChannelLike>();
  return {
    open(): ChannelLike {
      const me: ChannelLike = {
        onmessage: null,
        postMessage(message) {
          const copy = structuredClone(message);
          for (const other of members) {
            if (other !== me) queueMicrotask(() => other.onmessage?.({ data: copy }));
          }
        },
        close() {
          members.delete(me);
        },
      };
      members.add(me);
      return me;
    },
  };
}

/** A LabelFeed the test drives by hand. */
export function createFakeFeed() {
  const eventFns = new Set<(e: import('./stream.ts').FeedEvent) => void>();
  const statusFns = new Set<(s: import('./feed.ts').FeedStatus) => void>();
  const errorFns = new Set<(e: Error) => void>();
  const calls = { start: [] as (number | null)[], reset: [] as number[], reconnect: 0 };
  const feed: import('./feed.ts').LabelFeed & {
    emit(e: import('./stream.ts').FeedEvent): void;
    status(s: import('./feed.ts').FeedStatus): void;
    fail(e: Error): void;
    calls: typeof calls;
  } = {
    calls,
    onEvent(fn) {
      eventFns.add(fn);
      return () => eventFns.delete(fn);
    },
    onStatus(fn) {
      statusFns.add(fn);
      return () => statusFns.delete(fn);
    },
    onError(fn) {
      errorFns.add(fn);
      return () => errorFns.delete(fn);
    },
    start: (seq) => void calls.start.push(seq),
    resetCursor: (seq) => void calls.reset.push(seq),
    reconnectNow: () => {
      calls.reconnect += 1;
    },
    close() {},
    emit: (e) => {
      for (const fn of eventFns) fn(e);
    },
    status: (s) => {
      for (const fn of statusFns) fn(s);
    },
    fail: (e) => {
      for (const fn of errorFns) fn(e);
    },
  };
  return feed;
}

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
};

/** A fetch answering from a route table: `(req) => [status, body]` or a body (200). */
export function createRouteFetch(routes: Record<string, (req: FakeRequest) => unknown>) {
  const requests: FakeRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://test');
    const method = init?.method ?? 'GET';
    const req: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: { ...(init?.headers as Record<string, string>) },
    };
    requests.push(req);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler)
      return new Response(JSON.stringify({ error: 'not_found', message: 'no route' }), {
        status: 404,
      });
    const out = handler(req);
    const [status, body] =
      Array.isArray(out) && typeof out[0] === 'number' ? (out as [number, unknown]) : [200, out];
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}
