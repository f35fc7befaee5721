/**
 * The PostgreSQL label store: the LabelStore port over one shared log, so several server replicas
 * on one database form one service. Each process keeps the whole projection in memory, current
 * with the log (its own commits, LISTEN/NOTIFY, a safety poll, `sync()`); writes go through the
 * group commit (group-commit.ts). Reads of labels answer from the projection even while the
 * database is down; history, replay beyond the in-memory ring, and stateAt read the database.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  evolve,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
} from '@lenslet/core';
import {
  applyOne,
  type BatchOutcome,
  type CommittedRecord,
  type CompactionReport,
  type HistoryQuery,
  type LabelStore,
  NOTHING_TO_CHECK,
  type StoreStatus,
  toOutcomes,
  type WriteEntry,
  type WriteMeta,
} from '@lenslet/store';
import type { Sql } from 'postgres';
import { probeCommit } from './append-sql.ts';
import { type ArchiveExport, exportArchive } from './archive-export.ts';
import { isUnavailable, redactUrl } from './connection.ts';
import type { Follower } from './follower.ts';
import { GroupCommit } from './group-commit.ts';
import type { Health } from './health.ts';
import { historyOf, pages, seqAtTime, stateAtSeq } from './log-reads.ts';
import { type LogVerifyReport, verifyLog } from './log-verify.ts';
import { pruneKeys } from './maintenance.ts';
import type { ResolvedOptions } from './options.ts';
import type { Projection } from './projection.ts';
import type { SharedPresence, SharedPresenceHandle } from './shared-presence.ts';
import type { SharedViews } from './shared-views.ts';
import { saveSnapshot } from './snapshots.ts';

/** The PostgreSQL store: the LabelStore port plus what replicas on one database need. */
export interface PostgresStore extends LabelStore {
  /** The URL with its password hidden (for /health and messages). */
  readonly url: string;
  /**
   * Catch up with every record committed anywhere before this call (one indexed read of the rows
   * after the local head). Call it before answering a read for read-your-writes across replicas.
   * Resolves with the new head; rejects with `persistence_unavailable` when the database is down
   * (at once while the last read of the log failed; the safety poll keeps trying).
   */
  sync(): Promise<number>;
  /** Save the state at the current head as a snapshot (false when one exists at that seq). */
  snapshot(): Promise<boolean>;
  /**
   * Write records `from`..`to` (default: 1..head) to `file` in the JSONL archive format
   * (gzip members of whole lines; `zcat` gives the JSONL store's lines byte for byte).
   */
  exportArchive(file: string, range?: { from?: number; to?: number }): Promise<ArchiveExport>;
  /** The last seq whose record is at or before `time` (an ISO time; 0 when none is). */
  seqAt(time: string): Promise<number>;
  /** Re-fold the whole log and check it and everything derived from it (reads only). */
  verify(): Promise<LogVerifyReport>;
  /** The saved views, shared by every replica on this database. */
  readonly views: SharedViews;
  /** Presence shared by every replica on this database (the server's PresenceSharing port). */
  readonly presence: SharedPresence;
}

export type StoreParts = {
  readonly url: string;
  readonly log_id: string;
  readonly opts: ResolvedOptions;
  readonly reads: Sql;
  readonly projection: Projection;
  readonly health: Health;
  readonly follower: Follower;
  readonly snapshot_seq: number;
  /** The seq the log starts after (0, or past an imported original workspace's event ids). */
  readonly origin: number;
  readonly views: SharedViews;
  readonly presence: SharedPresenceHandle;
};

const PRUNE_EVERY_COMMITS = 1_000;
const SIZE_EVERY_POLLS = 30;

export class PostgresStoreImpl implements PostgresStore {
  readonly url: string;
  readonly log_id: string;
  readonly views: SharedViews;
  readonly presence: SharedPresence;
  readonly #presence: SharedPresenceHandle;
  readonly #opts: ResolvedOptions;
  readonly #reads: Sql;
  readonly #projection: Projection;
  readonly #health: Health;
  readonly #follower: Follower;
  readonly #committer: GroupCommit;
  readonly #origin: number;
  #snapshotSeq: number;
  #snapshotting: Promise<boolean> | null = null;
  #lastCommitMs: number | null = null;
  #logBytes = 0;
  #commits = 0;
  #polls = 0;
  #closed = false;

  constructor(parts: StoreParts) {
    this.url = redactUrl(parts.url);
    this.log_id = parts.log_id;
    this.#opts = parts.opts;
    this.#reads = parts.reads;
    this.#projection = parts.projection;
    this.#health = parts.health;
    this.#follower = parts.follower;
    this.#snapshotSeq = parts.snapshot_seq;
    this.#origin = parts.origin;
    this.views = parts.views;
    this.presence = parts.presence;
    this.#presence = parts.presence;
    this.#committer = new GroupCommit(parts.url, parts.opts, parts.projection, parts.health, {
      committed: (from, to, ms) => this.#committed(from, to, ms),
    });
  }

  /** Start following other processes' commits (LISTEN + poll). */
  async start(): Promise<void> {
    await this.#follower.start(this.#opts.poll_interval_ms, () => this.#tick());
  }

  head(): number {
    return this.#projection.head();
  }

  get(path: CanonicalPath): Labels {
    return this.#projection.get(path);
  }

  items(): ReadonlyMap<CanonicalPath, Labels> {
    return this.#projection.items;
  }

  apply(entry: WriteEntry, meta: WriteMeta) {
    return applyOne(this, entry, meta);
  }

  async applyBatch(entries: readonly WriteEntry[], meta: WriteMeta): Promise<BatchOutcome[]> {
    if (this.#closed) throw new LensletError('shutting_down', 'the label store is closed');
    const planned = await this.#committer.submit(entries, meta);
    return this.#read(() =>
      toOutcomes(planned, {
        head: this.head(),
        persistence: 'saved',
        labelsAfter: (path, seq) => this.#labelsAfter(path, seq),
        current: (path) => this.get(path),
      }),
    );
  }

  #committed(from: number, to: number, ms: number): void {
    this.#lastCommitMs = ms;
    const every = this.#opts.snapshot_every_records;
    if (every > 0 && Math.floor((from - 1) / every) < Math.floor(to / every)) {
      this.#background('automatic snapshot', () => this.snapshot());
    }
    if (++this.#commits % PRUNE_EVERY_COMMITS === 0) {
      this.#background('pruning idempotency keys', () =>
        pruneKeys(this.#reads, this.head(), this.#opts.clock().getTime()),
      );
    }
  }

  /** Each poll: an empty commit while writes are failing (to notice the database is back). */
  async #tick(): Promise<void> {
    if (this.#health.writeFailing && !this.#closed) {
      await this.#committer.exclusive(probeCommit);
      this.#health.ok('write');
    }
    if (++this.#polls % SIZE_EVERY_POLLS === 1) {
      const [row] = await this.#reads`SELECT pg_total_relation_size('lenslet_log') AS bytes`;
      this.#logBytes = Number(row?.bytes ?? 0);
    }
  }

  #background(what: string, job: () => Promise<unknown>): void {
    job().catch((error) => {
      this.#opts.onWarning(`${what} failed: ${(error as Error)?.message ?? error}`);
    });
  }

  /** Run a database read; "unavailable" failures become `persistence_unavailable`. */
  async #read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof LensletError || !isUnavailable(error)) throw error;
      throw new LensletError(
        'persistence_unavailable',
        `the label database cannot be read right now (${(error as { code?: string }).code}); try again`,
        { cause: error },
      );
    }
  }

  async #labelsAfter(path: CanonicalPath, seq: number): Promise<{ labels: Labels; base?: number }> {
    const records = (await historyOf(this.#reads, path, seq + 1, undefined)).reverse();
    let labels = EMPTY_LABELS;
    for (const record of records) labels = evolve(labels, record);
    return { labels, base: records.at(-1)?.base };
  }

  async *replay(from: number, until = Number.POSITIVE_INFINITY): AsyncIterable<CommittedRecord> {
    // Nothing was ever recorded at or before the origin: a resume from there starts at origin + 1.
    const after = Math.max(from, this.#origin);
    const end = Math.min(until, this.head());
    if (after >= end) return;
    const recent = this.#projection.recent(after, end);
    if (recent) {
      yield* recent;
      return;
    }
    const base = await this.stateAt(after);
    const items = new Map(base.items);
    const reading = pages(this.#reads, after, end)[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.#read(() => reading.next());
      if (next.done) return;
      for (const record of next.value) {
        const labels = evolve(items.get(record.path) ?? EMPTY_LABELS, record);
        items.set(record.path, labels);
        yield { record, labels };
      }
    }
  }

  async history(path: CanonicalPath, query: HistoryQuery = {}): Promise<LabelRecord[]> {
    const before = Math.min(query.before ?? Number.POSITIVE_INFINITY, this.head() + 1);
    return this.#read(() => historyOf(this.#reads, path, before, query.limit));
  }

  async stateAt(seq: number): Promise<LabelState> {
    if (seq >= this.head()) return { seq: this.head(), items: new Map(this.#projection.items) };
    return this.#read(() => stateAtSeq(this.#reads, Math.max(0, seq)));
  }

  subscribe(listener: (batch: readonly CommittedRecord[]) => void) {
    return this.#projection.subscribe(listener);
  }

  onStatus(listener: (status: StoreStatus) => void) {
    return this.#health.onChange(() => listener(this.status()));
  }

  status(): StoreStatus {
    return {
      durability: 'fsync',
      state: this.#health.state,
      error: this.#health.error,
      since: this.#health.since,
      seq: this.head(),
      snapshot_seq: this.#snapshotSeq,
      log_bytes: this.#logBytes,
      last_fsync_ms: this.#lastCommitMs,
      oldest_seq: 1,
      ...(this.#origin > 0 ? { origin: this.#origin } : {}),
      // A COMMIT is whole or absent: nothing is ever cut at start-up, and no history sits unread
      // behind a snapshot file.
      integrity: NOTHING_TO_CHECK,
    };
  }

  sync(): Promise<number> {
    // While reads of the log fail, answer at once: the poll notices when the database is back,
    // and a caller can still answer from the projection instead of waiting out a timeout.
    const failing = this.#health.readError;
    if (failing !== null) {
      return Promise.reject(
        new LensletError(
          'persistence_unavailable',
          `the label database cannot be read right now (${failing}); try again`,
        ),
      );
    }
    return this.#read(() => this.#follower.sync());
  }

  snapshot(): Promise<boolean> {
    this.#snapshotting ??= (async () => {
      // Labels are immutable values: a shallow copy of the map is the state at this head.
      const state = { seq: this.head(), items: new Map(this.#projection.items) };
      if (state.seq <= this.#snapshotSeq) return false;
      const now = this.#opts.clock().toISOString();
      const saved = await saveSnapshot(this.#reads, state, this.#opts.snapshot_chunk_items, now);
      this.#snapshotSeq = Math.max(this.#snapshotSeq, state.seq);
      return saved;
    })().finally(() => {
      this.#snapshotting = null;
    });
    return this.#snapshotting;
  }

  seqAt(time: string): Promise<number> {
    return this.#read(() => seqAtTime(this.#reads, this.head(), time));
  }

  verify(): Promise<LogVerifyReport> {
    return this.#read(() => verifyLog(this.#reads));
  }

  exportArchive(file: string, range: { from?: number; to?: number } = {}): Promise<ArchiveExport> {
    const to = Math.min(range.to ?? this.head(), this.head());
    return this.#read(() => exportArchive(this.#reads, range.from ?? this.#origin + 1, to, file));
  }

  async compact(): Promise<CompactionReport> {
    if (this.#closed) throw new LensletError('shutting_down', 'the label store is closed');
    const started = performance.now();
    const to_seq = this.head();
    const bytes = async () => {
      const [row] = await this.#reads`
        SELECT (pg_total_relation_size('lenslet_log') + pg_total_relation_size('lenslet_keys')
          + pg_total_relation_size('lenslet_snapshot_chunks'))::bigint AS bytes`;
      return Number(row?.bytes ?? 0);
    };
    return this.#read(async () => {
      const bytes_before = await bytes();
      await this.snapshot();
      await pruneKeys(this.#reads, to_seq, this.#opts.clock().getTime());
      return {
        from_seq: 1,
        to_seq,
        bytes_before,
        bytes_after: await bytes(),
        archive: null,
        duration_ms: performance.now() - started,
        longest_stall_ms: 0,
      };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#committer.close();
    await this.#follower.stop();
    await this.#presence.close().catch(() => {});
    await this.#snapshotting?.catch(() => {});
    await this.#reads.end({ timeout: 2 }).catch(() => {});
  }
}
