/**
 * The writer's connection pool with a hard deadline per use. When a use overruns, its pool is
 * destroyed (sockets closed, nothing cancelled: a cancelled COMMIT waiting for the synchronous
 * standby would become visible on the primary without being on the standby) and the next use
 * gets a fresh pool. The overrun rejects with code QUERY_TIMEOUT, which counts as "unavailable".
 */
import type { ReservedSql, Sql } from 'postgres';

export class WriterSession {
  readonly #make: () => Sql;
  #sql: Sql | null = null;

  constructor(make: () => Sql) {
    this.#make = make;
  }

  /** Run `fn` on the pool; reject after `timeoutMs` and destroy the pool it used. */
  run<T>(timeoutMs: number, fn: (sql: Sql) => Promise<T>): Promise<T> {
    this.#sql ??= this.#make();
    const sql = this.#sql;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () => {
          if (settled) return;
          settled = true;
          if (this.#sql === sql) this.#sql = null;
          void sql.end({ timeout: 0 }).catch(() => {});
          reject(
            Object.assign(new Error(`the database did not answer within ${timeoutMs} ms`), {
              code: 'QUERY_TIMEOUT',
            }),
          );
        },
        Math.max(1, timeoutMs),
      );
      fn(sql).then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Run `fn` in a reserved connection; on failure roll back before giving the connection back. */
  transaction<T>(timeoutMs: number, fn: (tx: ReservedSql) => Promise<T>): Promise<T> {
    return this.run(timeoutMs, async (sql) => {
      const tx = await sql.reserve();
      try {
        return await fn(tx);
      } catch (error) {
        await tx`ROLLBACK`.catch(() => {});
        throw error;
      } finally {
        tx.release();
      }
    });
  }

  async close(): Promise<void> {
    const sql = this.#sql;
    this.#sql = null;
    await sql?.end({ timeout: 1 }).catch(() => {});
  }
}
