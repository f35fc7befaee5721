/**
 * When snapshots and compactions run. One maintenance job at a time, in order: completing the
 * history index after an open, finishing an interrupted compaction, the automatic jobs (a
 * compaction once the live log passes `compact_above_bytes`, else a snapshot every
 * `snapshot_every_records`), and the ones asked for (`compact()`, `snapshot()`). An automatic job
 * that fails is a warning and waits `MAINTENANCE_RETRY_MS` before it is tried again; one asked
 * for fails to its caller.
 */
import { isLensletError, LensletError } from '@lenslet/core';
import { type CompactOptions, compactLog } from '../compaction/compact.ts';
import type { OpenLog } from '../log/open-log.ts';
import { errorCode } from '../port/fs-port.ts';
import type { CompactionReport } from '../port/label-store.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';

/** Pause before an automatic snapshot or compaction is tried again after it failed. */
const MAINTENANCE_RETRY_MS = 30_000;

export type MaintenancePolicy = {
  readonly snapshot_every_records: number;
  /** 0 turns automatic compaction off. */
  readonly compact_above_bytes: number;
  /** First seq the log files hold (the compaction report's `from_seq`). */
  readonly oldest_seq: number;
  readonly onWarning: (message: string) => void;
};

export class MaintenanceScheduler {
  readonly #log: OpenLog;
  readonly #policy: MaintenancePolicy;
  #chain: Promise<unknown> = Promise.resolve();
  #running = false;
  #pausedUntil = 0;
  #compacting = false;
  #closed = false;

  constructor(log: OpenLog, policy: MaintenancePolicy) {
    this.#log = log;
    this.#policy = policy;
  }

  /** Run `job` as the next maintenance job and give back its result (errors propagate). */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(job);
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Run a maintenance job after the current one; failures become warnings. */
  background(what: string, job: () => Promise<unknown>): void {
    this.#running = true;
    this.#chain = this.#chain.then(job).then(
      () => {
        this.#running = false;
        // Thresholds may have been crossed while this job ran.
        this.check();
      },
      (error) => {
        this.#running = false;
        // A failing disk: try again later, not in a loop (the next commit after the pause).
        this.#pausedUntil = performance.now() + MAINTENANCE_RETRY_MS;
        this.#policy.onWarning(
          `${what} failed (retried in ${MAINTENANCE_RETRY_MS / 1000} s): ${(error as Error)?.message ?? error}`,
        );
      },
    );
  }

  /** After a commit: start an automatic compaction or snapshot when one is due. */
  check(): void {
    if (this.#running || this.#closed || performance.now() < this.#pausedUntil) return;
    const { snapshot_every_records, compact_above_bytes } = this.#policy;
    const log = this.#log;
    if (compact_above_bytes > 0 && log.live.bytes > compact_above_bytes && !this.#compacting) {
      this.#compacting = true;
      this.background('automatic compaction', () =>
        compactLog(log, this.#policy.oldest_seq).finally(() => {
          this.#compacting = false;
        }),
      );
    } else if (log.head() - (log.snapshot?.seq ?? 0) >= snapshot_every_records) {
      this.background('periodic snapshot', () => takeSnapshot(log));
    }
  }

  /** Write a snapshot at the durable head now. */
  async snapshot(): Promise<void> {
    await this.exclusive(() => takeSnapshot(this.#log));
  }

  /** Compact now; one at a time (`compaction_in_progress`), a disk refusal is a 503. */
  async compact(options: CompactOptions = {}): Promise<CompactionReport> {
    if (this.#compacting) {
      throw new LensletError(
        'compaction_in_progress',
        'a compaction of this workspace is already running',
      );
    }
    if (this.#closed) throw new LensletError('shutting_down', 'the label store is closed');
    this.#compacting = true;
    try {
      return await this.exclusive(() => compactLog(this.#log, this.#policy.oldest_seq, options));
    } catch (error) {
      // A disk that refuses the work (ENOSPC, EIO) is the caller's 503, not a crash: every step
      // is crash-safe, so the log is as before and compacting again later finishes the job.
      const code = errorCode(error);
      // Only disk errors (ENOSPC, EIO, …): a LensletError such as corrupt_log keeps its code.
      if (code === undefined || isLensletError(error)) throw error;
      throw new LensletError(
        'persistence_unavailable',
        `compaction stopped: the disk refused a write (${code}); no label was lost, run it again once the disk is healthy`,
        { cause: error },
      );
    } finally {
      this.#compacting = false;
    }
  }

  /** Start no new job and refuse `compact()` (the store is closing). */
  stop(): void {
    this.#closed = true;
  }

  /** Resolves once the job under way and those queued have finished (never rejects). */
  async idle(): Promise<void> {
    await this.#chain;
  }
}
