/**
 * Group commit: one committing connection per process drains everything queued while the previous
 * transaction ran into one transaction. Under the counter lock it first catches up with the log
 * (so it decides against every commit of every process), then decides each queued request with
 * the store's WriteHead — core `decide`, per-field conflicts, idempotency per (mutation_id, path)
 * — and writes the records in one COMMIT. Only after COMMIT are the records applied, shown to
 * subscribers and answered.
 *
 * Failures: a group that cannot reach the database, or overruns `write_timeout_ms`, is rejected
 * with `persistence_unavailable` together with everything queued behind it. An overrun destroys
 * the connection (never a cancel during COMMIT). A COMMIT whose answer was lost is settled with
 * `confirmOutcome` before anyone is answered; if that is impossible in time, the answer is 503
 * (not acknowledged: retrying with the same key is exactly-once, as the retry decides under the
 * same lock after reading whatever did commit).
 */
import { type LabelRecord, LensletError } from '@lenslet/core';
import {
  encodeRecord,
  IdempotencyIndex,
  type PlannedWrite,
  type WriteEntry,
  WriteHead,
  type WriteMeta,
} from '@lenslet/store';
import type { ReservedSql } from 'postgres';
import { confirmOutcome, lockAndRead, writeAndCommit } from './append-sql.ts';
import { isUnavailable, openPool } from './connection.ts';
import type { Health } from './health.ts';
import type { ResolvedOptions } from './options.ts';
import type { Projection } from './projection.ts';
import { WriterSession } from './writer-session.ts';

type Request = {
  readonly entries: readonly WriteEntry[];
  readonly meta: WriteMeta;
  readonly resolve: (planned: PlannedWrite[]) => void;
  readonly reject: (error: unknown) => void;
};

/** What the store hears after each commit of this process. */
export type CommitHooks = {
  committed(from: number, to: number, ms: number): void;
};

export class GroupCommit {
  readonly #opts: ResolvedOptions;
  readonly #projection: Projection;
  readonly #health: Health;
  readonly #hooks: CommitHooks;
  readonly #writer: WriterSession;
  #queue: Request[] = [];
  #scheduled = false;
  #running: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    url: string,
    opts: ResolvedOptions,
    projection: Projection,
    health: Health,
    hooks: CommitHooks,
  ) {
    this.#opts = opts;
    this.#projection = projection;
    this.#health = health;
    this.#hooks = hooks;
    this.#writer = new WriterSession(() => openPool(url, 'writer', opts));
  }

  /** Queue a request; resolves with its planned writes once they are committed. */
  submit(entries: readonly WriteEntry[], meta: WriteMeta): Promise<PlannedWrite[]> {
    if (this.#closed) {
      return Promise.reject(new LensletError('shutting_down', 'the label store is closed'));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, meta, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // Start once pending callbacks ran: callers woken by the previous group have queued again.
      setImmediate(() => {
        this.#running = this.#running.then(() => this.#drain());
      });
    });
  }

  /** Run `fn` in a transaction on the writer's connection between two groups (a probe). */
  exclusive<T>(fn: (tx: ReservedSql) => Promise<T>): Promise<T> {
    const run = this.#running.then(() => this.#writer.transaction(this.#opts.write_timeout_ms, fn));
    this.#running = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      await this.#commit(group);
      // Let the callers just answered queue their next write first: otherwise the next group
      // holds only those that arrived during this commit, and groups alternate at half size.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async #commit(group: Request[]): Promise<void> {
    const started = performance.now();
    let pending: { first: LabelRecord; planned: PlannedWrite[][] } | null = null;
    try {
      const outcome = await this.#writer.transaction(this.#opts.write_timeout_ms, (tx) =>
        this.#transaction(tx, group, (first, planned) => {
          pending = { first, planned };
        }),
      );
      this.#settle(group, outcome, started);
    } catch (error) {
      const inDoubt = pending as { first: LabelRecord; planned: PlannedWrite[][] } | null;
      if (inDoubt && isUnavailable(error)) {
        const committed = await this.#confirm(inDoubt.first);
        if (committed === true) {
          this.#settle(group, inDoubt.planned, started);
          return;
        }
        if (committed === null) {
          this.#fail(
            group,
            error,
            'the database did not confirm the commit in time; it may or may not be saved, retry with the same Idempotency-Key',
          );
          return;
        }
      }
      this.#fail(group, error, null);
    }
  }

  /** One transaction; `sending` is called right before the COMMIT goes out. */
  async #transaction(
    tx: ReservedSql,
    group: Request[],
    sending: (first: LabelRecord, planned: PlannedWrite[][]) => void,
  ): Promise<PlannedWrite[][]> {
    const ids = [...new Set(group.map((r) => r.meta.mutation_id))];
    const view = await lockAndRead(tx, this.#projection.head(), ids);
    this.#projection.accept(view.tail);
    if (this.#projection.head() !== view.head) {
      throw new LensletError(
        'internal',
        `the database's head is ${view.head} but this replica has ${this.#projection.head()}: records were lost (a failover to a standby that was not synchronous?)`,
      );
    }
    const keys = new IdempotencyIndex();
    for (const entry of view.keys) keys.add(entry);
    const head = new WriteHead(
      {
        get: (path) => this.#projection.get(path),
        head: () => this.#projection.head(),
        lastAt: () => this.#projection.lastAt(),
      },
      keys,
    );
    const now = this.#opts.clock();
    const planned = group.map((request) => head.plan(request.entries, request.meta, now));
    const records: LabelRecord[] = [];
    for (const plans of planned)
      for (const plan of plans) if (plan.kind === 'record') records.push(plan.record);
    if (records.length === 0) {
      await tx`ROLLBACK`;
      return planned;
    }
    sending(records[0]!, planned);
    await writeAndCommit(tx, records, records.map(encodeRecord), now.getTime());
    return planned;
  }

  #settle(group: Request[], planned: PlannedWrite[][], started: number): void {
    const from = this.#projection.head();
    const committed = [];
    for (const plans of planned)
      for (const plan of plans)
        if (plan.kind === 'record') committed.push({ record: plan.record, labels: plan.labels });
    this.#projection.accept(committed);
    this.#health.ok('write');
    if (committed.length > 0) {
      this.#hooks.committed(from + 1, this.#projection.head(), performance.now() - started);
    }
    group.forEach((request, i) => {
      request.resolve(planned[i]!);
    });
  }

  /** Settle a lost COMMIT answer: true committed, false not, null unknown (time ran out). */
  async #confirm(first: LabelRecord): Promise<boolean | null> {
    const deadline = performance.now() + this.#opts.write_timeout_ms;
    while (performance.now() < deadline) {
      try {
        return await this.#writer.transaction(deadline - performance.now(), (tx) =>
          confirmOutcome(tx, first),
        );
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return null;
  }

  #fail(group: Request[], error: unknown, message: string | null): void {
    const unavailable = isUnavailable(error) || message !== null;
    const rejected = [...group, ...(unavailable ? this.#queue.splice(0) : [])];
    const code = (error as { code?: string })?.code;
    // Domain errors are outcomes, never thrown here: whatever arrives is the database's or ours.
    this.#health.fail('write', `${code ?? 'error'}: ${(error as Error)?.message ?? error}`);
    let answer: unknown = error;
    if (unavailable) {
      const why = message ?? `the database is unavailable (${code ?? (error as Error)?.message})`;
      answer = new LensletError(
        'persistence_unavailable',
        `labels cannot be saved right now: ${why}; nothing was acknowledged, try again`,
        { cause: error },
      );
    }
    for (const request of rejected) request.reject(answer);
  }

  /** Refuse new requests, finish the queued ones, close the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await new Promise((r) => setImmediate(r));
    await this.#running;
    await this.#writer.close();
  }
}
