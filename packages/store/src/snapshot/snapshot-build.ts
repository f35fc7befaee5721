/**
 * Build a snapshot off the main thread: the previous snapshot plus the records after it, folded
 * by `TailFold` (core `foldInto`), streamed into a temp file that is fdatasynced (the caller
 * renames it into place and fsyncs the directory). Only items touched by the new records are
 * parsed and folded; every other item line is copied byte for byte, so memory stays proportional
 * to the new records, not to the whole gallery.
 */
import { type CanonicalPath, type LabelState, type Labels, LensletError } from '@lenslet/core';
import {
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
} from '../index/idempotency.ts';
import { type RecordBatch, readRecords } from '../log/log-records.ts';
import type { LogFile } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import { entryOf } from '../recovery/recent-keys.ts';
import { TailFold } from '../recovery/tail-fold.ts';
import { itemKey, parseItem, SNAPSHOT_FORMAT } from './snapshot-codec.ts';
import { scanSnapshot } from './snapshot-reader.ts';
import { SnapshotWriter } from './snapshot-writer.ts';

/** Up to this many new records are kept in memory between the passes over them. */
const KEEP_RECORDS = 250_000;

export type SnapshotSource = {
  readonly file: LogFile;
  /** Where records of this job start in the file (a line start; 0: from the beginning). */
  readonly start: number;
  /** Bytes of the file that belong to the job. */
  readonly end: number;
};

export type SnapshotJob = {
  readonly dir: string;
  /** Previous snapshot file (workspace-relative) and its seq, or null to start from nothing. */
  readonly base: { readonly name: string; readonly seq: number } | null;
  /** Without a base: the seq the log starts after over the empty state (default 0). */
  readonly origin?: number;
  /** The files holding records base.seq+1 … seq, in order. */
  readonly sources: readonly SnapshotSource[];
  readonly seq: number;
  readonly log_offset: number;
  readonly log_id: string;
  readonly created_at: string;
  readonly now_ms: number;
  /** Temp file to write (workspace-relative). */
  readonly out: string;
};

export type SnapshotResult = {
  readonly bytes: number;
  readonly items: number;
  readonly idempotency: number;
};

/** Records base.seq+1 … job.seq from the job's sources, in batches. */
async function forEachRecord(
  fs: FsPort,
  job: SnapshotJob,
  onBatch: Parameters<typeof readRecords>[2],
): Promise<void> {
  let next = (job.base?.seq ?? job.origin ?? 0) + 1;
  for (const source of job.sources) {
    if (next > job.seq) break;
    const summary = await readRecords(
      {
        fs,
        dir: job.dir,
        file: source.file,
        start:
          source.start === 0
            ? undefined
            : { offset: source.start, lineNo: next - source.file.from + 1 },
        end: source.end,
      },
      {
        expectSeq: next,
        untilSeq: job.seq,
        skipBefore: source.start === 0 && source.file.from < next,
      },
      onBatch,
    );
    next = summary.nextSeq;
  }
  if (next !== job.seq + 1) {
    throw new LensletError(
      'corrupt_log',
      `snapshot: the log ends at seq ${next - 1}, expected ${job.seq}`,
    );
  }
}

export async function buildSnapshot(fs: FsPort, job: SnapshotJob): Promise<SnapshotResult> {
  const keep = (e: IdempotencyEntry) =>
    e.seq > job.seq - IDEMPOTENCY_MIN_RECORDS || e.at_ms > job.now_ms - IDEMPOTENCY_MIN_AGE_MS;
  // 1. Which items do the new records touch? (Keep the records when there are not too many, so
  //    the log is read once; a first snapshot after a long log reads it again instead.)
  const touched = new Set<string>();
  let kept: RecordBatch[] | null = [];
  let keptCount = 0;
  await forEachRecord(fs, job, (batch) => {
    for (const record of batch.records) touched.add(record.path);
    if (kept) {
      kept.push(batch);
      keptCount += batch.records.length;
      if (keptCount > KEEP_RECORDS) kept = null;
    }
  });
  const replayRecords = async (onBatch: (batch: RecordBatch) => void | Promise<void>) => {
    if (!kept) return forEachRecord(fs, job, onBatch);
    for (const batch of kept) await onBatch(batch);
  };
  const handle = await fs.open(`${job.dir}/${job.out}`, 'w');
  try {
    const writer = new SnapshotWriter(handle, {
      format: SNAPSHOT_FORMAT,
      log_id: job.log_id,
      seq: job.seq,
      log_offset: job.log_offset,
      created_at: job.created_at,
    });
    // 2. Copy untouched items of the base; keep the touched ones for the fold.
    const bases = new Map<CanonicalPath, Labels>();
    const basePath = job.base && `${job.dir}/${job.base.name}`;
    if (job.base && basePath) {
      const result = await scanSnapshot(fs, basePath, {
        item(buf, start, end) {
          if (!touched.has(itemKey(buf, start, end))) return writer.copiedItem(buf, start, end);
          const parsed = parseItem(buf, start, end);
          if (!parsed.ok) throw new Error(parsed.problem);
          bases.set(parsed.value[0], parsed.value[1]);
          return undefined;
        },
      });
      if (!result?.ok || result.value.seq !== job.base.seq) {
        throw new LensletError(
          'corrupt_snapshot',
          `the previous snapshot is unreadable (${result?.ok ? 'its seq changed' : (result?.problem ?? 'missing')})`,
        );
      }
    }
    // 3. Fold the new records onto the touched items.
    const fold = new TailFold({ seq: job.base?.seq ?? 0, items: bases } satisfies LabelState, {
      adopt: true,
    });
    await replayRecords((batch) => fold.add(batch));
    for (const [path, labels] of fold.state().items) await writer.item(path, labels);
    // 4. Idempotency keys still within retention: the base's, then the new records'.
    if (basePath) {
      await scanSnapshot(fs, basePath, {
        idempotency: async (entry) => {
          if (keep(entry)) await writer.idempotency(entry);
        },
      });
    }
    await replayRecords(async ({ records }) => {
      for (const record of records) {
        const entry = entryOf(record);
        if (keep(entry)) await writer.idempotency(entry);
      }
    });
    return await writer.finish();
  } finally {
    await handle.close();
  }
}
