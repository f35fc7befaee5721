/**
 * A live-stream client that behaves like a browser's EventSource: `GET /events` parsed with
 * eventsource-parser; when the stream ends or breaks it reconnects after a short delay, sending
 * the last id it saw as `Last-Event-ID`, so it resumes wherever the load balancer sends it. It
 * keeps every event, every record id in arrival order, and which replica served each connection
 * (HAProxy's `X-Lenslet-Replica`).
 */
import { createParser } from 'eventsource-parser';
import { sleep } from '../wait.ts';

export type LiveEvent = {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
};

export type LiveClientOptions = {
  /** Resume point of the first connection (`Last-Event-ID`). */
  readonly lastEventId?: number;
  /** Reconnect when the stream ends (default true). */
  readonly reconnect?: boolean;
  readonly reconnectDelayMs?: number;
};

export class LiveClient {
  readonly events: LiveEvent[] = [];
  /** Seqs of record events (`item-updated`, `metrics-updated`) in arrival order. */
  readonly seqs: number[] = [];
  /** One entry per connection: the replica that served it (null without a balancer). */
  readonly connections: (string | null)[] = [];
  lastEventId: number | null;
  readonly #url: string;
  readonly #options: LiveClientOptions;
  readonly #waiters = new Set<() => void>();
  #controller = new AbortController();
  #closed = false;
  readonly #loop: Promise<void>;

  constructor(url: string, options: LiveClientOptions = {}) {
    this.#url = url;
    this.#options = options;
    this.lastEventId = options.lastEventId ?? null;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      await this.#connect().catch(() => {});
      this.#wake();
      if (this.#closed || this.#options.reconnect === false) return;
      await sleep(this.#options.reconnectDelayMs ?? 200);
    }
  }

  async #connect(): Promise<void> {
    this.#controller = new AbortController();
    const headers: Record<string, string> =
      this.lastEventId === null ? {} : { 'Last-Event-ID': String(this.lastEventId) };
    const response = await fetch(this.#url, { headers, signal: this.#controller.signal });
    this.connections.push(response.headers.get('x-lenslet-replica'));
    if (!response.ok || !response.body) {
      await response.arrayBuffer().catch(() => {});
      return;
    }
    const parser = createParser({
      onEvent: (message) => {
        const data: unknown = JSON.parse(message.data);
        this.events.push({ event: message.event ?? 'message', id: message.id, data });
        if (message.id !== undefined) {
          this.lastEventId = Number(message.id);
          this.seqs.push(Number(message.id));
        }
        this.#wake();
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Events named `name`. */
  named(name: string): LiveEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  /** Wait until `done()` holds, checked after every event and every (re)connection. */
  until(done: (client: LiveClient) => boolean, timeoutMs = 10_000, what = 'events'): Promise<void> {
    if (done(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`timed out waiting for ${what} on ${this.#url}; last id ${this.lastEventId}`),
        );
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

  async close(): Promise<void> {
    this.#closed = true;
    this.#controller.abort();
    await this.#loop;
  }
}
