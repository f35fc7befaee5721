/**
 * The durable label store: one JSONL line per accepted patch in `<workspace>/labels.log.jsonl`,
 * composed of small parts, each in its own file:
 * - the append path, `commit-pipeline.ts` (pending head → group commit → durable labels);
 * - `store-readers.ts` for replay, history and stateAt, over `recent-records.ts` and the files;
 * - `maintenance-scheduler.ts`, which runs snapshots and compactions one at a time;
 * - `store-status.ts`, the saved / relaxed / failing state;
 * - the open log (`log/open-log.ts`): which files hold the log, shared by all of them.
 * `open-jsonl-store.ts` recovers a workspace and assembles these parts.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
} from '@lenslet/core';
import type { CompactOptions } from '../compaction/compact.ts';
import { saveLiveIndex } from '../index/live-index.ts';
import type { OpenLog } from '../log/open-log.ts';
import type {
  ApplyResult,
  BatchOutcome,
  CommittedRecord,
  CompactionReport,
  HistoryQuery,
  LabelStore,
  Persistence,
  StoreStatus,
  WriteEntry,
  WriteMeta,
} from '../port/label-store.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import type { WorkspaceLock } from '../workspace/lock.ts';
import { onlyResult, recordResult, toOutcomes } from '../write/outcomes.ts';
import type { PlannedWrite } from '../write/write-head.ts';
import type { CommitPipeline } from './commit-pipeline.ts';
import type { HistoryCheck } from './history-check.ts';
import type { MaintenanceScheduler } from './maintenance-scheduler.ts';
import type { StoreReaders } from './store-readers.ts';
import type { StatusTracker } from './store-status.ts';

/** What the server records in the lock once it listens (for `lenslet compact`). */
export type LockDetails = { readonly url: string; readonly admin_token: string };

/** The JSONL store: the LabelStore port plus what only a local workspace has. */
export interface JsonlStore extends LabelStore {
  /** The `.lenslet` directory. */
  readonly dir: string;
  /** Labeled items imported from an original (Python) Lenslet workspace by this open; 0 if none. */
  readonly imported: number;
  /** Record the server's URL and admin token in the lock file (mode 0600). */
  setLockInfo(details: LockDetails): Promise<void>;
  compact(options?: CompactOptions): Promise<CompactionReport>;
  /** Write a snapshot at the durable head now (no-op when there is nothing new). */
  snapshot(): Promise<void>;
}

/** The parts `openJsonlStore` assembles. */
export type JsonlStoreParts = {
  readonly log: OpenLog;
  readonly lock: WorkspaceLock | null;
  readonly imported: number;
  readonly commits: CommitPipeline;
  readonly readers: StoreReaders;
  readonly maintenance: MaintenanceScheduler;
  readonly status: StatusTracker;
  /** Settles once the history index is complete (or could not be). */
  readonly indexed: Promise<unknown>;
  /** The background check of the history the snapshot covers. */
  readonly historyCheck: HistoryCheck;
  readonly onWarning: (message: string) => void;
};

const closedError = () => new LensletError('shutting_down', 'the label store is closed');

export class JsonlStoreImpl implements JsonlStore {
  readonly dir: string;
  readonly imported: number;
  readonly log_id: string;
  readonly #parts: JsonlStoreParts;
  #closed = false;

  constructor(parts: JsonlStoreParts) {
    this.#parts = parts;
    this.dir = parts.log.dir;
    this.imported = parts.imported;
    this.log_id = parts.log.log_id;
  }

  head(): number {
    return this.#parts.commits.head();
  }

  get(path: CanonicalPath): Labels {
    return this.#parts.commits.get(path) ?? EMPTY_LABELS;
  }

  items(): ReadonlyMap<CanonicalPath, Labels> {
    return this.#parts.commits.items();
  }

  /**
   * One write, without the arrays of a batch: a write that makes a record (the common case) is
   * answered straight from its plan once its group is durable.
   */
  apply(entry: WriteEntry, meta: WriteMeta): Promise<ApplyResult> {
    if (this.#closed) return Promise.reject(closedError());
    let committed: ReturnType<CommitPipeline['commitOne']>;
    try {
      committed = this.#parts.commits.commitOne(entry, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    const { plan, durable } = committed;
    if (plan.kind === 'record') return durable.then(() => recordResult(plan, this.#persistence()));
    return durable.then(() => this.#outcomes([plan])).then(onlyResult);
  }

  async applyBatch(entries: readonly WriteEntry[], meta: WriteMeta): Promise<BatchOutcome[]> {
    if (this.#closed) throw closedError();
    const { planned, durable } = this.#parts.commits.commit(entries, meta);
    await durable;
    return this.#outcomes(planned);
  }

  #persistence(): Persistence {
    return this.#parts.log.durability === 'relaxed' ? 'relaxed' : 'saved';
  }

  /** Answers for durable plans. */
  #outcomes(planned: readonly PlannedWrite[]): Promise<BatchOutcome[]> {
    const { commits, readers } = this.#parts;
    return toOutcomes(planned, {
      head: commits.head(),
      persistence: this.#persistence(),
      labelsAfter: (path, seq) => readers.labelsAfter(path, seq),
      current: (path) => this.get(path),
    });
  }

  replay(after: number, until?: number): AsyncIterable<CommittedRecord> {
    return this.#parts.readers.replay(after, until);
  }

  history(path: CanonicalPath, query?: HistoryQuery): Promise<LabelRecord[]> {
    return this.#parts.readers.history(path, query);
  }

  stateAt(seq: number): Promise<LabelState> {
    return this.#parts.readers.stateAt(seq);
  }

  subscribe(listener: (batch: readonly CommittedRecord[]) => void) {
    return this.#parts.commits.subscribe(listener);
  }

  onStatus(listener: (status: StoreStatus) => void) {
    return this.#parts.status.onStatus(listener);
  }

  status(): StoreStatus {
    return this.#parts.status.status();
  }

  async setLockInfo(details: LockDetails): Promise<void> {
    await this.#parts.lock?.update({ url: details.url, admin_token: details.admin_token });
  }

  snapshot(): Promise<void> {
    return this.#parts.maintenance.snapshot();
  }

  compact(options: CompactOptions = {}): Promise<CompactionReport> {
    return this.#parts.maintenance.compact(options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { log, commits, maintenance, lock, onWarning } = this.#parts;
    maintenance.stop();
    await this.#parts.historyCheck.stop();
    try {
      // New writes are refused now; finish the ones queued, then any maintenance under way.
      await commits.writer.flush().catch(() => {});
      await maintenance.idle();
      await this.#parts.indexed;
      try {
        await takeSnapshot(log);
        await saveLiveIndex(log);
      } catch (error) {
        onWarning(`the closing snapshot failed: ${(error as Error)?.message ?? error}`);
      }
      await commits.writer.close().catch((error) => {
        onWarning(`closing the log failed: ${(error as Error)?.message ?? error}`);
      });
    } finally {
      await log.runner.close();
      await lock?.release();
    }
  }
}
