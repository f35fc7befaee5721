/**
 * LabelFeed: the live stream as the rest of the app sees it, shared by every tab of a browser.
 *
 * Chromium allows 6 connections per host, so one tab (the leader, elected with a Web Lock) holds
 * the stream and relays each event and state change over a BroadcastChannel; the others only
 * listen. When the leader's tab closes its lock is released, the next waiting tab becomes leader
 * and resumes from the last seq it saw relayed (or the seq of the data it loaded), so no tab
 * misses a record; duplicates are harmless (updates apply by version).
 * Tabs subscribe to the channel before they load data, so nothing relayed after their listing's
 * `seq` is lost. A message that does not match the protocol is relayed as an error, so every tab
 * shows it. Without Web Locks (plain http on a LAN address is not a secure context) every
 * tab holds its own stream.
 */
import type { FeedEvent, openStream, StreamHandle, StreamState } from './stream.ts';

export interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<unknown>;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

type Relay =
  | { t: 'ev'; e: FeedEvent }
  | { t: 'st'; s: StreamState; f: number }
  | { t: 'er'; m: string }
  | { t: 'hi' };

export type FeedStatus = { state: StreamState; failures: number; leader: boolean };

export interface LabelFeed {
  /** Subscribe to parsed events; returns unsubscribe. */
  onEvent(fn: (event: FeedEvent) => void): () => void;
  /** Subscribe to connection state (the leader's, relayed); returns unsubscribe. */
  onStatus(fn: (status: FeedStatus) => void): () => void;
  /** Subscribe to protocol errors: live messages that did not parse (never applied). */
  onError(fn: (error: Error) => void): () => void;
  /** Join the election; the stream resumes from `seq` (the loaded data's) when this tab leads. */
  start(seq: number | null): void;
  /** After a full refetch: resume from this seq (of the new data) on the next connect. */
  resetCursor(seq: number): void;
  reconnectNow(): void;
  close(): void;
}

export type FeedOptions = {
  readonly locks: LockManagerLike | null;
  readonly channel: ChannelLike | null;
  readonly connect: typeof openStream;
  readonly fetch: typeof fetch;
  readonly headers?: () => Record<string, string>;
  readonly lockName?: string;
};

export function openFeed(options: FeedOptions): LabelFeed {
  const eventFns = new Set<(event: FeedEvent) => void>();
  const statusFns = new Set<(status: FeedStatus) => void>();
  const errorFns = new Set<(error: Error) => void>();
  let status: FeedStatus = { state: 'connecting', failures: 0, leader: false };
  /** Seq of the data this tab loaded, and of the last record delivered (relayed or own). */
  let loadedSeq: number | null = null;
  let deliveredSeq: number | null = null;
  let logId: string | null = null;
  let lastHello: FeedEvent | null = null;
  let stream: StreamHandle | null = null;
  let started = false;
  let closed = false;
  let releaseLock: (() => void) | null = null;
  const channel = options.locks ? options.channel : null;

  const deliver = (event: FeedEvent) => {
    if (event.kind === 'item') deliveredSeq = Math.max(deliveredSeq ?? 0, event.data.seq);
    if (event.kind === 'hello') {
      logId = event.data.log_id;
      lastHello = event;
    }
    if (event.kind === 'resync') {
      deliveredSeq = event.data.seq;
      logId = null;
    }
    for (const fn of eventFns) fn(event);
  };
  const report = (error: Error) => {
    for (const fn of errorFns) fn(error);
  };
  const setStatus = (next: FeedStatus) => {
    status = next;
    for (const fn of statusFns) fn(status);
  };
  const post = (message: Relay) => channel?.postMessage(message);

  if (channel) {
    channel.onmessage = ({ data }) => {
      const m = data as Relay;
      if (m.t === 'hi') {
        if (stream) {
          post({ t: 'st', s: status.state, f: status.failures });
          if (lastHello) post({ t: 'ev', e: lastHello });
        }
      } else if (m.t === 'ev' && !stream) {
        deliver(m.e);
      } else if (m.t === 'st' && !stream) {
        setStatus({ state: m.s, failures: m.f, leader: false });
      } else if (m.t === 'er' && !stream) {
        report(new Error(m.m));
      }
    };
  }

  const lead = () => {
    if (closed) return;
    stream = options.connect({
      fetch: options.fetch,
      ...(options.headers ? { headers: options.headers } : {}),
      // What every tab has seen for sure: the last record relayed, else our loaded data's seq.
      cursor: { seq: deliveredSeq ?? loadedSeq, log_id: logId },
      onEvent(event) {
        deliver(event);
        post({ t: 'ev', e: event });
      },
      onState(state, failures) {
        setStatus({ state, failures, leader: true });
        post({ t: 'st', s: state, f: failures });
      },
      onError(error) {
        report(error);
        post({ t: 'er', m: error.message });
      },
    });
  };

  return {
    onEvent(fn) {
      eventFns.add(fn);
      return () => eventFns.delete(fn);
    },
    onStatus(fn) {
      statusFns.add(fn);
      fn(status);
      return () => statusFns.delete(fn);
    },
    onError(fn) {
      errorFns.add(fn);
      return () => errorFns.delete(fn);
    },
    start(seq) {
      if (started || closed) return;
      started = true;
      loadedSeq = seq;
      if (!options.locks || !channel) {
        lead();
        return;
      }
      post({ t: 'hi' });
      void options.locks
        .request(options.lockName ?? 'lenslet-live-stream', () => {
          if (closed) return Promise.resolve();
          lead();
          return new Promise<void>((resolve) => {
            releaseLock = resolve;
          });
        })
        .catch(() => {
          // Locks refused (e.g. an opaque origin): hold our own stream.
          if (!stream) lead();
        });
    },
    resetCursor(seq) {
      loadedSeq = seq;
      deliveredSeq = null;
    },
    reconnectNow() {
      stream?.reconnectNow();
    },
    close() {
      closed = true;
      stream?.close();
      stream = null;
      releaseLock?.();
      if (channel) channel.onmessage = null;
      channel?.close();
    },
  };
}
