/**
 * Opening the JSONL store, the recovery path: create the `.lenslet` directory, take the
 * single-writer lock, import an original (Python) Lenslet workspace found there, recover (the
 * snapshot plus the log after it, a torn tail cut), and assemble the store's parts around the
 * open log. The history index below the recovered tail is completed by the first maintenance job;
 * then the history the snapshot covers is checked in the background (history-check.ts).
 */
import { type BackgroundRunner, inlineRunner, workerRunner } from '../background/runner.ts';
import { archiveSegments } from '../compaction/archive-segments.ts';
import { completeIndex } from '../index/complete-index.ts';
import { HistoryIndex } from '../index/history-index.ts';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import { importLegacyWorkspace } from '../legacy/legacy-import.ts';
import type { LogWriter } from '../log/log-writer.ts';
import type { OpenLog } from '../log/open-log.ts';
import { RecordReader } from '../log/record-reader.ts';
import type { FsHandle } from '../port/fs-port.ts';
import { type Recovered, recover } from '../recovery/recover.ts';
import type { ReadKeys } from '../recovery/snapshot-keys-off-thread.ts';
import { LOG_FILE } from '../workspace/layout.ts';
import { WorkspaceLock } from '../workspace/lock.ts';
import { systemProbe } from '../workspace/process-identity.ts';
import { CommitPipeline } from './commit-pipeline.ts';
import { HistoryCheck } from './history-check.ts';
import { type JsonlStore, JsonlStoreImpl } from './jsonl-store.ts';
import { MaintenanceScheduler } from './maintenance-scheduler.ts';
import { type JsonlStoreOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { RecentRecords } from './recent-records.ts';
import { StoreReaders } from './store-readers.ts';
import { StatusTracker } from './store-status.ts';

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
  let runner: BackgroundRunner | null = null;
  try {
    const imported = opts.import_legacy ? await importLegacyWorkspace(fs, dir, now, warn) : 0;
    let index = new HistoryIndex();
    let recent: RecentRecords | null = null;
    let idempotency = new IdempotencyTable((seq) => recent?.record(seq)?.path ?? null);
    // The worker starts now: it reads the snapshot's keys while this thread reads the items (a
    // worker reads the real disk, so not when the caller gave its own filesystem).
    const background = opts.worker ? workerRunner(opts.worker) : inlineRunner(fs);
    runner = background;
    const readKeys: ReadKeys | undefined =
      opts.worker && !options.fs ? (job) => background.run('keys', job) : undefined;
    const context = {
      fs,
      dir,
      now,
      warn,
      readOnly: false,
      ringSize: opts.ring_records,
      readKeys,
    };
    let recovered = await recover({ ...context, index, idempotency });
    if (!recovered.hintHeld) {
      // The log ended far before it seemed to (a long tail was cut): fold again without the hint.
      index = new HistoryIndex();
      idempotency = new IdempotencyTable((seq) => recent?.record(seq)?.path ?? null);
      const first = recovered;
      recovered = await recover({ ...context, index, idempotency, noEndHint: true });
      // The first pass already cut and quarantined a torn tail: keep its report for the banner.
      if (first.torn && !recovered.torn) recovered = { ...recovered, torn: first.torn };
    }
    recent = new RecentRecords(opts.ring_records, recovered.ring);
    const handle = await fs.open(`${dir}/${LOG_FILE}`, 'r+');
    return assemble({
      dir,
      opts,
      lock,
      imported,
      recovered,
      index,
      idempotency,
      recent,
      runner: background,
      handle,
    });
  } catch (error) {
    await runner?.close().catch(() => {});
    await lock?.release().catch(() => {});
    throw error;
  }
}

type Opened = {
  readonly dir: string;
  readonly opts: ResolvedOptions;
  readonly lock: WorkspaceLock | null;
  readonly imported: number;
  readonly recovered: Recovered;
  readonly index: HistoryIndex;
  readonly idempotency: IdempotencyTable;
  readonly recent: RecentRecords;
  readonly runner: BackgroundRunner;
  readonly handle: FsHandle;
};

/** Build the store's parts around what recovery found. */
function assemble(o: Opened): JsonlStore {
  const { opts, recovered } = o;
  // The parts refer to each other; the callbacks below run only after this function returns.
  // The records before the snapshot were not read by this open: the history check reads them.
  const checkThrough = opts.history_check ? (recovered.snapshot?.seq ?? 0) : 0;
  const torn = recovered.torn;
  const status = new StatusTracker(
    opts.durability,
    opts.clock,
    () => ({
      seq: commits.head(),
      snapshot_seq: log.snapshot?.seq ?? 0,
      log_bytes: log.live.bytes,
      // A log that starts at its origin holds its whole history (nothing came before it).
      oldest_seq: recovered.oldestSeq === recovered.origin + 1 ? 1 : recovered.oldestSeq,
      origin: recovered.origin,
    }),
    {
      recovered:
        torn?.quarantine != null
          ? {
              at: opts.clock().toISOString(),
              message: torn.message,
              bytes: torn.bytes,
              records: torn.records,
              quarantine: torn.quarantine,
            }
          : null,
      history: {
        state: checkThrough >= recovered.oldestSeq ? 'pending' : 'ok',
        through_seq: checkThrough,
        problem: null,
      },
    },
  );
  const commits = new CommitPipeline({
    fs: opts.fs,
    path: `${o.dir}/${LOG_FILE}`,
    handle: o.handle,
    bytes: recovered.live.bytes,
    writer: {
      durability: opts.durability,
      relaxed_interval_ms: opts.relaxed_interval_ms,
      pipeline: opts.pipeline,
    },
    clock: opts.clock,
    items: recovered.state.items,
    head: recovered.state.seq,
    lastAt: recovered.lastAt,
    index: o.index,
    idempotency: o.idempotency,
    recent: o.recent,
    events: {
      durable: (head, ackOffset) => {
        log.live.to = head;
        log.live.bytes = ackOffset;
        status.committed();
        maintenance.check();
      },
      failed: (error) => status.failed(error),
      synced: (ms) => status.synced(ms),
    },
  });
  const log: OpenLog = {
    fs: opts.fs,
    dir: o.dir,
    durability: opts.durability,
    clock: opts.clock,
    log_id: recovered.meta.log_id,
    index: o.index,
    reader: new RecordReader(opts.fs, o.dir),
    runner: o.runner,
    writer: commits.writer as LogWriter<unknown>,
    history: recovered.history,
    live: { ...recovered.live },
    snapshot: recovered.snapshot,
    origin: recovered.origin,
    epoch: 0,
    moving: false,
    head: () => commits.head(),
    warn: opts.onWarning,
  };
  const maintenance = new MaintenanceScheduler(log, {
    snapshot_every_records: opts.snapshot_every_records,
    compact_above_bytes: opts.compact_above_bytes,
    oldest_seq: recovered.oldestSeq,
    onWarning: opts.onWarning,
  });
  // First maintenance job: nothing renames or deletes log files while the index is completed.
  const indexed = maintenance
    .exclusive(() => completeIndex(log, recovered.tailFrom))
    .then(
      () => null,
      (error) => {
        const message = `the history index could not be completed: ${(error as Error).message}`;
        opts.onWarning(message);
        return message;
      },
    );
  if (recovered.history.some((f) => f.kind === 'segment')) {
    maintenance.background('finishing an interrupted compaction', () => archiveSegments(log));
  }
  const historyCheck = new HistoryCheck(log, status, recovered.oldestSeq, checkThrough);
  historyCheck.start(indexed);
  const readers = new StoreReaders({
    log,
    recent: o.recent,
    commits,
    oldestSeq: recovered.oldestSeq,
    origin: recovered.origin,
    indexed,
  });
  return new JsonlStoreImpl({
    log,
    lock: o.lock,
    imported: o.imported,
    commits,
    readers,
    maintenance,
    status,
    indexed,
    historyCheck,
    onWarning: opts.onWarning,
  });
}
