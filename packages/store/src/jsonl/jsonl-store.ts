/**
 * The durable label store: one JSONL line per accepted patch in `<workspace>/labels.log.jsonl`.
 *
 * Write path: `WriteHead.plan` decides every entry against the pending head and reserves its seq
 * in one synchronous call; the encoded lines join the group commit (one write + one fdatasync for
 * everything that arrived while the previous sync ran); once durable, records are applied to the
 * durable map, the head is told, subscribers see the batch, and only then does the caller get its
 * answer. A failed write or sync rejects that group and everything queued behind it with
 * `persistence_unavailable` (503), the head drops its queued records (seqs are reused, gapless),
 * and the status turns `failing` until a commit succeeds again.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  evolve,
  isLensletError,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
} from '@lenslet/core';
import { type BackgroundRunner, inlineRunner, workerRunner } from '../background/runner.ts';
import {
  archiveSegments,
  completeIndex,
  rotate,
  saveLiveIndex,
  takeSnapshot,
  workspaceBytes,
} from '../compaction/maintenance.ts';
import { HistoryIndex, pathHash } from '../index/history-index.ts';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import { importLegacyWorkspace } from '../legacy/legacy-import.ts';
import { encodeRecord } from '../log/jsonl-codec.ts';
import { LogWriter } from '../log/log-writer.ts';
import { fileOf, type StoreCore, withStableFiles } from '../log/open-log.ts';
import { RecordReader } from '../log/record-reader.ts';
import { errorCode, type FsHandle } from '../port/fs-port.ts';
import type {
  BatchOutcome,
  CommittedRecord,
  CompactionReport,
  HistoryQuery,
  LabelStore,
  StoreStatus,
  WriteEntry,
  WriteMeta,
} from '../port/label-store.ts';
import { type Recovered, recover } from '../recovery/recover.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import { WorkspaceLock } from '../workspace/lock.ts';
import { systemProbe } from '../workspace/process-identity.ts';
import { applyOne, toOutcomes } from '../write/outcomes.ts';
import { WriteHead } from '../write/write-head.ts';
import { type JsonlStoreOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { foldUntil, readRange as readSeqRange } from './range-read.ts';

/** What the server records in the lock once it listens (for `lenslet compact`). */
export type LockDetails = { readonly url: string; readonly admin_token: string };

export type CompactOptions = {
  /** Called with progress lines (the CLI prints them). */
  readonly onProgress?: (message: string) => void;
};

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

type RingEntry = { record: LabelRecord; labels: Labels | null };

type StoreInit = {
  readonly dir: string;
  readonly opts: ResolvedOptions;
  readonly lock: WorkspaceLock | null;
  readonly imported: number;
  readonly recovered: Recovered;
  readonly index: HistoryIndex;
  readonly idempotency: IdempotencyTable;
  readonly ring: RingEntry[];
  readonly runner: BackgroundRunner;
  readonly handle: FsHandle;
};
type Payload = { batch: CommittedRecord[]; lengths: number[] };

const RELAXED_STATE = 'relaxed' as const;
/** Pause before an automatic snapshot or compaction is tried again after it failed. */
const MAINTENANCE_RETRY_MS = 30_000;

/** Open (create, recover, lock) the workspace directory `dir` — the `.lenslet` directory itself. */
export async function openJsonlStore(
  dir: string,
  options: JsonlStoreOptions = {},
): Promise<JsonlStore> {
  const opts = resolveOptions(options);
  const { fs } = opts;
  const warn = opts.onWarning;
  const now = opts.clock();
  if (!(await fs.stat(dir))) {
    await fs.mkdir(dir);
    await fs.syncDir(dir.slice(0, dir.lastIndexOf('/')) || '/');
  }
  const lock = opts.lock
    ? await WorkspaceLock.acquire(fs, dir, opts.probe ?? systemProbe(), now, warn)
    : null;
  try {
    const imported = opts.import_legacy ? await importLegacyWorkspace(fs, dir, now, warn) : 0;
    const index = new HistoryIndex();
    const ring: RingEntry[] = [];
    const idempotency = new IdempotencyTable((seq) => ringRecord(ring, seq)?.path ?? null);
    const recovered = await recover({
      fs,
      dir,
      now,
      warn,
      readOnly: false,
      ringSize: opts.ring_records,
      index,
      idempotency,
    });
    for (const record of recovered.ring) ring.push({ record, labels: null });
    const runner: BackgroundRunner = opts.worker ? workerRunner(opts.worker) : inlineRunner(fs);
    const handle = await fs.open(`${dir}/${LOG_FILE}`, 'r+');
    return new JsonlStoreImpl({
      dir,
      opts,
      lock,
      imported,
      recovered,
      index,
      idempotency,
      ring,
      runner,
      handle,
    });
  } catch (error) {
    await lock?.release().catch(() => {});
    throw error;
  }
}

function ringRecord(ring: readonly RingEntry[], seq: number): LabelRecord | null {
  const first = ring[0]?.record.seq;
  if (first === undefined || seq < first) return null;
  return ring[seq - first]?.record ?? null;
}

class JsonlStoreImpl implements JsonlStore {
  readonly dir: string;
  readonly imported: number;
  readonly log_id: string;
  readonly #opts: ResolvedOptions;
  readonly #lock: WorkspaceLock | null;
  readonly #items: Map<CanonicalPath, Labels>;
  readonly #index: HistoryIndex;
  readonly #idempotency: IdempotencyTable;
  readonly #head: WriteHead;
  readonly #writer: LogWriter<Payload>;
  readonly #core: StoreCore;
  readonly #ring: RingEntry[];
  #headSeq: number;
  #lastAt: string | null;
  readonly #oldestSeq: number;
  readonly #listeners = new Set<(batch: readonly CommittedRecord[]) => void>();
  readonly #statusListeners = new Set<(status: StoreStatus) => void>();
  #state: StoreStatus['state'];
  #error: string | null = null;
  #since: string;
  #lastFsyncMs: number | null = null;
  #closed = false;
  #maintenance: Promise<unknown> = Promise.resolve();
  #maintaining = false;
  #maintenancePausedUntil = 0;
  #compacting = false;
  readonly #indexReady: Promise<void>;
  #indexError: string | null = null;
  #commits = 0;

  constructor(init: StoreInit) {
    const { opts, recovered, index, idempotency } = init;
    this.dir = init.dir;
    this.#lock = init.lock;
    this.imported = init.imported;
    this.#ring = init.ring;
    this.#opts = opts;
    this.log_id = recovered.meta.log_id;
    this.#items = recovered.state.items as Map<CanonicalPath, Labels>;
    this.#headSeq = recovered.state.seq;
    this.#lastAt = recovered.lastAt;
    this.#oldestSeq = recovered.oldestSeq;
    this.#index = index;
    this.#idempotency = idempotency;
    this.#state = opts.durability === 'relaxed' ? RELAXED_STATE : 'saved';
    this.#since = opts.clock().toISOString();
    this.#head = new WriteHead(
      {
        get: (path) => this.get(path),
        head: () => this.#headSeq,
        lastAt: () => this.#lastAt,
      },
      idempotency,
    );
    this.#writer = new LogWriter<Payload>(
      opts.fs,
      `${this.dir}/${LOG_FILE}`,
      init.handle,
      recovered.live.bytes,
      { durability: opts.durability, relaxed_interval_ms: opts.relaxed_interval_ms },
      {
        committed: (payloads, ackOffset) => this.#committed(payloads, ackOffset),
        failed: (error) => this.#failed(error),
        synced: (ms) => this.#synced(ms),
      },
    );
    this.#core = {
      fs: opts.fs,
      dir: this.dir,
      options: opts,
      log_id: this.log_id,
      index,
      reader: new RecordReader(opts.fs, this.dir),
      runner: init.runner,
      writer: this.#writer as LogWriter<unknown>,
      history: recovered.history,
      live: { ...recovered.live },
      snapshot: recovered.snapshot,
      epoch: 0,
      moving: false,
      head: () => this.#headSeq,
      warn: opts.onWarning,
    };
    this.#idempotency.prune(opts.clock().getTime(), this.#headSeq);
    // First maintenance job: nothing renames or deletes log files while the index is completed.
    this.#indexReady = this.#exclusiveMaintenance(() =>
      completeIndex(this.#core, recovered.tailFrom),
    ).catch((error) => {
      const message = `the history index could not be completed: ${(error as Error).message}`;
      opts.onWarning(message);
      this.#indexError = message;
    });
    if (recovered.history.some((f) => f.kind === 'segment')) {
      this.#background('finishing an interrupted compaction', () => archiveSegments(this.#core));
    }
  }

  head(): number {
    return this.#headSeq;
  }

  get(path: CanonicalPath): Labels {
    return this.#items.get(path) ?? EMPTY_LABELS;
  }

  items(): ReadonlyMap<CanonicalPath, Labels> {
    return this.#items;
  }

  apply(entry: WriteEntry, meta: WriteMeta) {
    return applyOne(this, entry, meta);
  }

  async applyBatch(entries: readonly WriteEntry[], meta: WriteMeta): Promise<BatchOutcome[]> {
    if (this.#closed) throw new LensletError('shutting_down', 'the label store is closed');
    // Decide and reserve seqs, encode, queue: one synchronous stretch (no await in between).
    const planned = this.#head.plan(entries, meta, this.#opts.clock());
    let text = '';
    const batch: CommittedRecord[] = [];
    const lengths: number[] = [];
    for (const plan of planned) {
      if (plan.kind !== 'record') continue;
      const line = `${encodeRecord(plan.record)}\n`;
      text += line;
      lengths.push(Buffer.byteLength(line));
      batch.push({ record: plan.record, labels: plan.labels });
    }
    await this.#writer.append(text, { batch, lengths });
    return toOutcomes(planned, {
      head: this.#headSeq,
      persistence: this.#opts.durability === 'relaxed' ? 'relaxed' : 'saved',
      labelsAfter: (path, seq) => this.#labelsAfter(path, seq),
      current: (path) => this.get(path),
    });
  }

  #committed(payloads: readonly Payload[], ackOffset: number): void {
    let offset = ackOffset;
    for (const { lengths } of payloads) for (const n of lengths) offset -= n;
    for (const { batch, lengths } of payloads) {
      for (let i = 0; i < batch.length; i++) {
        const { record, labels } = batch[i]!;
        this.#items.set(record.path, labels);
        this.#index.set(record.seq, pathHash(record.path), offset);
        offset += lengths[i]!;
        this.#ring.push({ record, labels });
      }
      const last = batch.at(-1);
      if (last) {
        this.#headSeq = last.record.seq;
        this.#lastAt = last.record.at;
      }
    }
    const live = this.#core.live;
    live.to = this.#headSeq;
    live.bytes = ackOffset;
    this.#head.committed(this.#headSeq);
    if (this.#ring.length > this.#opts.ring_records * 2) {
      this.#ring.splice(0, this.#ring.length - this.#opts.ring_records);
    }
    if (++this.#commits % 64 === 0)
      this.#idempotency.prune(this.#opts.clock().getTime(), this.#headSeq);
    if (this.#state === 'failing') this.#setState(this.#healthyState(), null);
    for (const { batch } of payloads) {
      if (batch.length === 0) continue;
      for (const listener of this.#listeners) listener(batch);
    }
    this.#maybeMaintain();
  }

  #failed(error: unknown): void {
    this.#head.reset();
    this.#index.truncate(this.#headSeq);
    const code = (error as { code?: string })?.code;
    this.#setState('failing', `${code ?? 'error'}: ${(error as Error)?.message ?? String(error)}`);
  }

  #synced(ms: number): void {
    this.#lastFsyncMs = ms;
    if (this.#state === 'failing' && this.#opts.durability === 'relaxed') {
      this.#setState(this.#healthyState(), null);
    }
  }

  #healthyState(): StoreStatus['state'] {
    return this.#opts.durability === 'relaxed' ? RELAXED_STATE : 'saved';
  }

  #setState(state: StoreStatus['state'], error: string | null): void {
    if (state === this.#state && error === this.#error) return;
    const changed = state !== this.#state;
    this.#state = state;
    this.#error = error;
    if (!changed) return;
    this.#since = this.#opts.clock().toISOString();
    const status = this.status();
    for (const listener of this.#statusListeners) listener(status);
  }

  #maybeMaintain(): void {
    if (this.#maintaining || this.#closed || performance.now() < this.#maintenancePausedUntil)
      return;
    const { snapshot_every_records, compact_above_bytes } = this.#opts;
    if (
      compact_above_bytes > 0 &&
      this.#core.live.bytes > compact_above_bytes &&
      !this.#compacting
    ) {
      this.#compacting = true;
      this.#background('automatic compaction', () =>
        this.#compactNow().finally(() => {
          this.#compacting = false;
        }),
      );
    } else if (this.#headSeq - (this.#core.snapshot?.seq ?? 0) >= snapshot_every_records) {
      this.#background('periodic snapshot', () => takeSnapshot(this.#core));
    }
  }

  /** Run a maintenance job after the current one; failures become warnings. */
  #background(what: string, job: () => Promise<unknown>): void {
    this.#maintaining = true;
    this.#maintenance = this.#maintenance.then(job).then(
      () => {
        this.#maintaining = false;
        // Thresholds may have been crossed while this job ran.
        this.#maybeMaintain();
      },
      (error) => {
        this.#maintaining = false;
        // A failing disk: try again later, not in a loop (the next commit after the pause).
        this.#maintenancePausedUntil = performance.now() + MAINTENANCE_RETRY_MS;
        this.#opts.onWarning(
          `${what} failed (retried in ${MAINTENANCE_RETRY_MS / 1000} s): ${(error as Error)?.message ?? error}`,
        );
      },
    );
  }

  async *replay(after: number, until = Number.POSITIVE_INFINITY): AsyncIterable<CommittedRecord> {
    const end = Math.min(until, this.#headSeq);
    if (after >= end) return;
    const ringFirst = this.#ring[0]?.record.seq ?? Number.POSITIVE_INFINITY;
    if (after + 1 >= ringFirst) {
      const entries = this.#ring.slice(after + 1 - ringFirst, end - ringFirst + 1);
      const current = new Map<CanonicalPath, Labels>();
      for (const entry of entries) {
        const { record } = entry;
        if (!entry.labels) {
          const before = current.get(record.path);
          entry.labels = before
            ? evolve(before, record)
            : (await this.#labelsAfter(record.path, record.seq)).labels;
        }
        current.set(record.path, entry.labels);
        yield { record, labels: entry.labels };
      }
      return;
    }
    const base = await this.stateAt(after);
    const items = new Map(base.items);
    for await (const records of readSeqRange(this.#core, after + 1, end)) {
      for (const record of records) {
        const labels = evolve(items.get(record.path) ?? EMPTY_LABELS, record);
        items.set(record.path, labels);
        yield { record, labels };
      }
    }
  }

  async history(path: CanonicalPath, query: HistoryQuery = {}): Promise<LabelRecord[]> {
    await this.#indexReady;
    // Never answer a partial history as if it were whole.
    if (this.#indexError) throw new LensletError('internal', this.#indexError);
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    let cursor = Math.min(query.before ?? Number.POSITIVE_INFINITY, this.#headSeq + 1);
    const hash = pathHash(path);
    const found: LabelRecord[] = [];
    while (found.length < limit && cursor > 1) {
      const want = Number.isFinite(limit) ? limit - found.length + 4 : 1024;
      const seqs = this.#index.candidates(hash, cursor, want);
      if (seqs.length === 0) break;
      for (const seq of seqs) {
        const record = await this.#recordAt(seq);
        if (record.path === path && found.length < limit) found.push(record);
      }
      cursor = seqs.at(-1)!;
    }
    return found;
  }

  async #recordAt(seq: number): Promise<LabelRecord> {
    const cached = ringRecord(this.#ring, seq);
    if (cached) return cached;
    return withStableFiles(this.#core, async () => {
      const file = fileOf(this.#core, seq);
      const offset = this.#index.offsetOf(seq);
      if (!file || offset === null) throw new Error(`record ${seq} is not in the log`);
      return this.#core.reader.read(file, offset, seq);
    });
  }

  /** Labels of `path` right after record `seq` (answers a retried key), from its own history. */
  async #labelsAfter(path: CanonicalPath, seq: number): Promise<{ labels: Labels; base?: number }> {
    const records = (await this.history(path, { before: seq + 1 })).reverse();
    let labels = EMPTY_LABELS;
    for (const record of records) labels = evolve(labels, record);
    return { labels, base: records.at(-1)?.base };
  }

  async stateAt(seq: number): Promise<LabelState> {
    if (seq >= this.#headSeq) return { seq: this.#headSeq, items: new Map(this.#items) };
    return foldUntil(this.#core, Math.max(0, seq), this.#oldestSeq);
  }

  subscribe(listener: (batch: readonly CommittedRecord[]) => void) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  onStatus(listener: (status: StoreStatus) => void) {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  status(): StoreStatus {
    return {
      durability: this.#opts.durability,
      state: this.#state,
      error: this.#error,
      since: this.#since,
      seq: this.#headSeq,
      snapshot_seq: this.#core.snapshot?.seq ?? 0,
      log_bytes: this.#core.live.bytes,
      last_fsync_ms: this.#lastFsyncMs,
      oldest_seq: this.#oldestSeq,
    };
  }

  async setLockInfo(details: LockDetails): Promise<void> {
    await this.#lock?.update({ url: details.url, admin_token: details.admin_token });
  }

  async snapshot(): Promise<void> {
    await this.#exclusiveMaintenance(() => takeSnapshot(this.#core));
  }

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
      return await this.#exclusiveMaintenance(() => this.#compactNow(options));
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

  async #compactNow(options: CompactOptions = {}): Promise<CompactionReport> {
    const started = performance.now();
    const from_seq = this.#oldestSeq;
    const to_seq = this.#headSeq;
    const bytes_before = await workspaceBytes(this.#core);
    const rotated = await rotate(this.#core);
    if (rotated) {
      options.onProgress?.(
        `rotated seqs ${rotated.segment.from}–${rotated.segment.to} out of the live log (writes waited ${rotated.stallMs.toFixed(1)} ms)`,
      );
    }
    const archived = await archiveSegments(this.#core);
    await takeSnapshot(this.#core);
    return {
      from_seq,
      to_seq,
      bytes_before,
      bytes_after: await workspaceBytes(this.#core),
      archive: archived.at(-1)?.name ?? null,
      duration_ms: performance.now() - started,
      longest_stall_ms: rotated?.stallMs ?? 0,
    };
  }

  /** Run `job` as the next maintenance job and give back its result (errors propagate). */
  #exclusiveMaintenance<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#maintenance.then(job);
    this.#maintenance = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // New writes are refused now; finish the ones queued, then any maintenance under way.
      await this.#writer.flush().catch(() => {});
      await this.#maintenance;
      await this.#indexReady;
      try {
        await takeSnapshot(this.#core);
        await saveLiveIndex(this.#core);
      } catch (error) {
        this.#opts.onWarning(`the closing snapshot failed: ${(error as Error)?.message ?? error}`);
      }
      await this.#writer.close().catch((error) => {
        this.#opts.onWarning(`closing the log failed: ${(error as Error)?.message ?? error}`);
      });
    } finally {
      await this.#core.runner.close();
      await this.#lock?.release();
    }
  }
}
