/**
 * Keeps the projection current with commits of other processes: LISTEN on the primary (each
 * commit NOTIFYs its new head) plus a safety poll, both ending in the same catch-up read — one
 * indexed read of the rows after the local head. `sync()` is that read on demand: it resolves
 * once the projection holds every record committed before it was called (read-your-writes across
 * replicas). Reads that overlap are coalesced, but a caller never joins a read that started
 * before its call.
 */
import type { Sql } from 'postgres';
import { LOG_CHANNEL } from './append-sql.ts';
import { isUnavailable } from './connection.ts';
import type { Health } from './health.ts';
import { rowPages } from './log-reads.ts';
import { decodeRows } from './log-rows.ts';
import type { Projection } from './projection.ts';

export class Follower {
  readonly #sql: Sql;
  readonly #projection: Projection;
  readonly #health: Health;
  readonly #warn: (message: string) => void;
  #inFlight: Promise<number> | null = null;
  #next: Promise<number> | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #stopped = false;

  constructor(sql: Sql, projection: Projection, health: Health, warn: (message: string) => void) {
    this.#sql = sql;
    this.#projection = projection;
    this.#health = health;
    this.#warn = warn;
  }

  /** Catch up with every commit made before this call; resolves with the new head. */
  sync(): Promise<number> {
    if (this.#inFlight === null) {
      const read = this.#read().finally(() => {
        this.#inFlight = null;
      });
      this.#inFlight = read;
      return read;
    }
    // A read is under way, but it may have started before this call: queue one more after it.
    this.#next ??= this.#inFlight
      .catch(() => 0)
      .then(() => {
        this.#next = null;
        return this.sync();
      });
    return this.#next;
  }

  async #read(): Promise<number> {
    try {
      for await (const rows of rowPages(this.#sql, this.#projection.head())) {
        this.#projection.accept(decodeRows(rows));
      }
      this.#health.ok('read');
      return this.#projection.head();
    } catch (error) {
      if (isUnavailable(error)) {
        const code = (error as { code?: string }).code;
        this.#health.fail('read', `${code}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  /** LISTEN for other processes' commits and poll every `intervalMs`; `tick` runs with each poll. */
  async start(intervalMs: number, tick: () => Promise<void>): Promise<void> {
    await this.#sql.listen(
      LOG_CHANNEL,
      (payload) => {
        if (Number(payload) > this.#projection.head()) void this.sync().catch(() => {});
      },
      // Also after every reconnect of the listening connection: notifications may have been lost.
      () => void this.sync().catch(() => {}),
    );
    this.#timer = setInterval(() => {
      if (this.#stopped) return;
      void this.sync()
        .then(tick)
        .catch((error) => {
          if (!isUnavailable(error)) this.#warn(`reading the label log failed: ${error}`);
        });
    }, intervalMs);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    // No UNLISTEN round trip (it would wait out a dead database): closing the pool ends it.
    await this.#inFlight?.catch(() => {});
    await this.#next?.catch(() => {});
  }
}
