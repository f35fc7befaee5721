/**
 * One live-stream connection to `GET /events`, on fetch + eventsource-parser (not EventSource:
 * we need our own headers, backoff and the 401 case).
 *
 * Protocol invariants (core's protocol/live-events.ts, docs/api.md): only label records carry an
 * SSE `id`, which is their `seq`; reconnecting sends `Last-Event-ID: <last seq>` and `?log_id=` so
 * the server replays exactly what was missed, or answers `resync-required` (then closes) when it
 * cannot: the app refetches and the stream reconnects without a resume point (live from the
 * head). Every message is parsed with core's table of live events (`LIVE_EVENTS`); one that does
 * not parse is never applied and is reported through `onError` (the UI shows it); an event name
 * the table does not define is ignored (a newer server may send more).
 * Reconnects back off 1 s → 30 s with full jitter; a connection that reached `hello` resets it.
 */
import {
  isLiveEventName,
  LIVE_EVENTS,
  type LiveEvent,
  type LiveEventName,
  type ReadResult,
  readMessage,
} from '@lenslet/core';
import { createParser } from 'eventsource-parser';

export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** No byte (event or keepalive comment) for this long: the connection is dead. */
export const STREAM_IDLE_TIMEOUT_MS = 45_000;

export type Hello = LiveEvent<'hello'>;
export type PresenceEvent = LiveEvent<'presence'>;
export type PersistenceEvent = LiveEvent<'persistence'>;
export type FolderEvent = LiveEvent<'folder-updated'>;
export type ResyncEvent = LiveEvent<'resync-required'>;
export type ViewsEvent = LiveEvent<'views-updated'>;
export type TableEvent = LiveEvent<'table-updated'>;

/** What the live stream delivers, already parsed. */
export type FeedEvent =
  | { kind: 'hello'; data: Hello }
  | { kind: 'item'; data: LiveEvent<'item-updated'> }
  | { kind: 'presence'; data: PresenceEvent }
  | { kind: 'persistence'; data: PersistenceEvent }
  | { kind: 'folder'; data: FolderEvent }
  | { kind: 'resync'; data: ResyncEvent }
  | { kind: 'views'; data: ViewsEvent }
  | { kind: 'table'; data: TableEvent };

/** The data of a parsed message, or an Error naming the event and the first issue. */
function check<T>(name: LiveEventName, read: ReadResult<T>): T {
  if (!read.ok) throw new Error(`live event ${name}: ${read.problem}`);
  return read.data;
}

/** SSE event name → its feed event, the data parsed with the schema core's table gives the name. */
const READ: { readonly [E in LiveEventName]: (json: unknown) => FeedEvent } = {
  hello: (json) => ({ kind: 'hello', data: check('hello', readMessage(LIVE_EVENTS.hello, json)) }),
  'item-updated': (json) => ({
    kind: 'item',
    data: check('item-updated', readMessage(LIVE_EVENTS['item-updated'], json)),
  }),
  'metrics-updated': (json) => ({
    kind: 'item',
    data: check('metrics-updated', readMessage(LIVE_EVENTS['metrics-updated'], json)),
  }),
  presence: (json) => ({
    kind: 'presence',
    data: check('presence', readMessage(LIVE_EVENTS.presence, json)),
  }),
  persistence: (json) => ({
    kind: 'persistence',
    data: check('persistence', readMessage(LIVE_EVENTS.persistence, json)),
  }),
  'folder-updated': (json) => ({
    kind: 'folder',
    data: check('folder-updated', readMessage(LIVE_EVENTS['folder-updated'], json)),
  }),
  'resync-required': (json) => ({
    kind: 'resync',
    data: check('resync-required', readMessage(LIVE_EVENTS['resync-required'], json)),
  }),
  'views-updated': (json) => ({
    kind: 'views',
    data: check('views-updated', readMessage(LIVE_EVENTS['views-updated'], json)),
  }),
  'table-updated': (json) => ({
    kind: 'table',
    data: check('table-updated', readMessage(LIVE_EVENTS['table-updated'], json)),
  }),
};

/**
 * Read one SSE message: its feed event, or null for an event name the protocol does not define.
 * Throws an Error naming the event and the first issue when the data does not parse.
 */
export function readFeedEvent(name: string | undefined, data: string): FeedEvent | null {
  if (name === undefined || !isLiveEventName(name)) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new Error(`live event ${name}: the data is not JSON`);
  }
  return READ[name](json);
}

/** Parse one SSE message into a feed event, or null when it is unknown or malformed. */
export function parseFeedEvent(name: string | undefined, data: string): FeedEvent | null {
  try {
    return readFeedEvent(name, data);
  } catch {
    return null;
  }
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'closed';

/** Delay before reconnect attempt `failures` (1-based): full jitter over an exponential cap. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(BACKOFF_MIN_MS / 2 + random() * (cap - BACKOFF_MIN_MS / 2));
}

export type StreamOptions = {
  readonly fetch: typeof fetch;
  readonly url?: string;
  readonly headers?: () => Record<string, string>;
  /** Where to resume: the last seq this browser has and the log it came from (null: start live). */
  readonly cursor: { seq: number | null; log_id: string | null };
  readonly random?: () => number;
  readonly onEvent: (event: FeedEvent) => void;
  readonly onState: (state: StreamState, failures: number) => void;
  /** A message that does not match the protocol (it was not applied). */
  readonly onError?: (error: Error) => void;
};

export type StreamHandle = {
  /** The resume point: seq of the last record delivered, and the log it belongs to. */
  readonly cursor: () => { seq: number | null; log_id: string | null };
  /** Skip the backoff wait and reconnect at once (e.g. the browser came back online). */
  reconnectNow(): void;
  close(): void;
};

/** Open the live stream; it reconnects on its own until closed or answered 401. */
export function openStream(options: StreamOptions): StreamHandle {
  let { seq, log_id } = options.cursor;
  let failures = 0;
  let closed = false;
  let abort: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  const random = options.random ?? Math.random;

  const setState = (state: StreamState) => options.onState(state, failures);

  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => abort?.abort(), STREAM_IDLE_TIMEOUT_MS);
  };

  const schedule = () => {
    if (closed) return;
    failures += 1;
    setState('reconnecting');
    retryTimer = setTimeout(connect, backoffDelay(failures, random));
  };

  async function connect() {
    retryTimer = null;
    if (closed) return;
    const controller = new AbortController();
    abort = controller;
    const params: string[] = [];
    if (log_id !== null) params.push(`log_id=${encodeURIComponent(log_id)}`);
    if (seq !== null) params.push(`last_event_id=${seq}`);
    const url = `${options.url ?? '/events'}${params.length ? `?${params.join('&')}` : ''}`;
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers?.() };
    if (seq !== null) headers['Last-Event-ID'] = String(seq);
    let resync = false;
    try {
      const res = await options.fetch(url, {
        headers,
        signal: controller.signal,
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (res.status === 401) {
        closed = true;
        setState('unauthorized');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      armIdle();
      const parser = createParser({
        onEvent(message) {
          let event: FeedEvent | null;
          try {
            event = readFeedEvent(message.event, message.data);
          } catch (error) {
            options.onError?.(error as Error);
            return;
          }
          if (!event) return;
          if (event.kind === 'hello') {
            if (log_id !== event.data.log_id) log_id = event.data.log_id;
            if (seq === null) seq = event.data.seq;
            failures = 0;
            setState('live');
          } else if (event.kind === 'item') {
            seq = event.data.seq;
          } else if (event.kind === 'resync') {
            // The server ends the stream: the app refetches, we reconnect without a resume point.
            resync = true;
            seq = null;
            log_id = null;
          }
          options.onEvent(event);
        },
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Network failure, abort or a bad status: reconnect below.
    } finally {
      if (idleTimer) clearTimeout(idleTimer);
    }
    if (closed) return;
    if (resync) {
      setState('connecting');
      retryTimer = setTimeout(connect, 0);
    } else {
      schedule();
    }
  }

  setState('connecting');
  void connect();

  return {
    cursor: () => ({ seq, log_id }),
    reconnectNow() {
      if (closed || retryTimer === null) return;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, 0);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (idleTimer) clearTimeout(idleTimer);
      abort?.abort();
      setState('closed');
    },
  };
}
