/**
 * A simulated live client: `GET /events` read with fetch and parsed with eventsource-parser, as
 * the browser does. It starts from seq 0 (replaying the whole log), and whenever the stream ends
 * — the server was killed, or dropped a slow client — it reconnects with `Last-Event-ID: <last
 * seq>` and `?log_id=` from its first `hello`.
 *
 * What it checks as it goes: every label record arrives exactly once and in order (seq = last +
 * 1, across reconnects), `hello.log_id` never changes, no `resync-required` is ever needed (the
 * soak never replaces the log), and every seq means the same record to every listener (so no
 * listener was shown a record that a restart then lost). It folds the labels of each event into
 * its own copy of the state, compared with the server's at the end.
 */
import { sleep } from '@lenslet/test-kit';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { LabelsSeen, Ledger } from './ledger.ts';
import type { Rng } from './rng.ts';

const MAX_VIOLATIONS_PER_LISTENER = 5;

type RecordEvent = LabelsSeen & { seq: number; path: string; mutation_id: string };

export class Listener {
  readonly id: number;
  /** Last label seq received (0: none yet). */
  last = 0;
  logId: string | null = null;
  connections = 0;
  events = 0;
  readonly state = new Map<string, LabelsSeen>();
  readonly #url: string;
  readonly #ledger: Ledger;
  readonly #rng: Rng;
  #violations = 0;
  #stopped = false;
  #abort: AbortController | null = null;
  #done: Promise<void> | null = null;

  constructor(id: number, url: string, ledger: Ledger, rng: Rng) {
    this.id = id;
    this.#url = url;
    this.#ledger = ledger;
    this.#rng = rng;
  }

  start(): void {
    this.#done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort?.abort();
    await this.#done;
  }

  #violation(message: string): void {
    this.#violations += 1;
    if (this.#violations <= MAX_VIOLATIONS_PER_LISTENER) {
      this.#ledger.violation(`listener ${this.id}: ${message}`);
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#connectOnce();
      } catch (error) {
        if (this.#stopped) break;
        this.#ledger.count(
          `listener stream ends (${(error as Error).name === 'TypeError' ? 'connection' : (error as Error).name})`,
        );
      }
      if (this.#stopped) break;
      // Like the browser's retry: 1 s hint, with jitter so 100 clients do not reconnect at once.
      await sleep(200 + this.#rng.int(0, 1_000));
    }
  }

  async #connectOnce(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const query = new URLSearchParams({ last_event_id: String(this.last) });
    if (this.logId !== null) query.set('log_id', this.logId);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.last > 0) headers['last-event-id'] = String(this.last);
    const res = await fetch(`${this.#url}/events?${query}`, { headers, signal: abort.signal });
    if (res.status !== 200 || res.body === null) {
      const text = await res.text().catch(() => '');
      if (res.status >= 500) {
        this.#ledger.serverErrors.push({
          at: this.#ledger.now(),
          status: res.status,
          code: 'events',
          what: `GET /events: ${text.slice(0, 200)}`,
        });
      } else {
        this.#violation(`GET /events answered ${res.status}: ${text.slice(0, 200)}`);
      }
      return;
    }
    this.connections += 1;
    if (this.connections > 1) this.#ledger.count('listener reconnects (resumed)');
    let resync = false;
    const parser = createParser({
      onEvent: (event) => {
        if (this.#onEvent(event) === 'resync') {
          resync = true;
          abort.abort();
        }
      },
    });
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (!resync && !this.#stopped) throw error;
    }
  }

  #onEvent(event: EventSourceMessage): 'resync' | undefined {
    switch (event.event) {
      case 'hello': {
        const hello = JSON.parse(event.data) as { seq: number; log_id: string };
        if (this.logId !== null && hello.log_id !== this.logId) {
          this.#violation(`log_id changed from ${this.logId} to ${hello.log_id}`);
        }
        this.logId = hello.log_id;
        if (hello.seq < this.last) {
          this.#violation(`hello.seq ${hello.seq} is behind a seq already streamed (${this.last})`);
        }
        return undefined;
      }
      case 'item-updated':
      case 'metrics-updated': {
        this.events += 1;
        const record = JSON.parse(event.data) as RecordEvent;
        const seq = Number(event.id);
        if (seq !== record.seq) this.#violation(`event id ${event.id} ≠ data.seq ${record.seq}`);
        if (seq !== this.last + 1) {
          this.#violation(
            seq <= this.last
              ? `seq ${seq} received again or out of order (last was ${this.last})`
              : `gap: seq ${seq} after ${this.last} (missed ${this.last + 1}…${seq - 1})`,
          );
        }
        this.last = Math.max(this.last, seq);
        const identity = `${record.mutation_id} ${record.path} v${record.version}`;
        const known = this.#ledger.streamed.get(seq);
        if (known === undefined) this.#ledger.streamed.set(seq, identity);
        else if (known !== identity) {
          this.#violation(`seq ${seq} is "${identity}" here but "${known}" on another stream`);
        }
        this.state.set(record.path, {
          star: record.star,
          tags: record.tags,
          notes: record.notes,
          metrics: record.metrics,
          version: record.version,
        });
        return undefined;
      }
      case 'resync-required':
        this.#violation(`resync-required ${event.data} (the soak never replaces the log)`);
        // Start over as a client must: forget the resume point (the final state check still
        // compares this listener's labels with the server's).
        this.last = 0;
        this.logId = null;
        this.state.clear();
        return 'resync';
      case 'persistence':
        if (this.id === 0) {
          this.#ledger.count(
            `persistence events seen by listener 0: ${JSON.parse(event.data).state}`,
          );
        }
        return undefined;
      default:
        return undefined;
    }
  }
}
