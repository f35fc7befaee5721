/**
 * Reading a seq range of an open store's log, across archives, segments and the live log, and
 * folding it: what `replay` (beyond the in-memory ring) and `stateAt` use.
 */
import { type LabelRecord, type LabelState, LensletError } from '@lenslet/core';
import { type RecordBatch, readRecords } from '../log/log-records.ts';
import { allFiles, type OpenLog, withStableFiles } from '../log/open-log.ts';
import { type FoldTable, TailFold } from '../recovery/tail-fold.ts';
import { loadSnapshot } from '../snapshot/snapshot-reader.ts';
import { SNAPSHOT_FILE } from '../workspace/layout.ts';

/** Call `onBatch` with the records from..to (inclusive) in order. */
export async function forEachInRange(
  log: OpenLog,
  from: number,
  to: number,
  onBatch: (batch: RecordBatch) => void | Promise<void>,
): Promise<void> {
  let next = from;
  while (next <= to) {
    // A compaction may rename or archive the file between the lookup and the open.
    const summary = await withStableFiles(log, async () => {
      const file = allFiles(log).find((f) => f.to >= next);
      if (!file) return null;
      const inside = next > file.from ? log.index.offsetOf(next) : null;
      const read = await readRecords(
        {
          fs: log.fs,
          dir: log.dir,
          file: { ...file },
          start: inside === null ? undefined : { offset: inside, lineNo: next - file.from + 1 },
          end: file.kind === 'live' ? file.bytes : undefined,
        },
        { expectSeq: next, untilSeq: to, skipBefore: inside === null && next > file.from },
        async (batch) => {
          next = batch.records.at(-1)!.seq + 1;
          await onBatch(batch);
        },
      );
      if (read.nextSeq <= Math.min(file.to, to)) {
        throw new Error(
          `${file.name} ends at seq ${read.nextSeq - 1}, before ${Math.min(file.to, to)}`,
        );
      }
      return read;
    });
    if (!summary) break;
  }
  if (next <= to) throw new Error(`the log ends at seq ${next - 1}, before ${to}`);
}

/** The records from..to as an async iterable of batches (one batch buffered at a time). */
export async function* readRange(
  log: OpenLog,
  from: number,
  to: number,
): AsyncGenerator<LabelRecord[]> {
  let wake: (() => void) | null = null;
  let ready: LabelRecord[] | null = null;
  let done = false;
  let failure: unknown = null;
  let taken: (() => void) | null = null;
  let cancelled = false;
  const producer = forEachInRange(log, from, to, async ({ records }) => {
    if (cancelled) throw new Error('replay stopped');
    ready = records;
    wake?.();
    await new Promise<void>((resolve) => {
      taken = resolve;
    });
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (error) => {
      failure = error;
      done = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      if (ready === null && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (ready !== null) {
        const batch: LabelRecord[] = ready;
        ready = null;
        yield batch;
        const resume = taken as (() => void) | null;
        taken = null;
        resume?.();
        continue;
      }
      if (failure) throw failure;
      if (done) return;
    }
  } finally {
    cancelled = true;
    (taken as (() => void) | null)?.();
    await producer;
  }
}

/**
 * The state as of `seq`: the snapshot when it is not newer, otherwise the log from its first
 * record (after `origin`, the seq a log starts after over the empty state).
 */
export async function foldUntil(
  log: OpenLog,
  seq: number,
  oldest: number,
  origin = 0,
): Promise<LabelState> {
  if (seq <= origin) return { seq, items: new Map() };
  let base: LabelState = { seq: origin, items: new Map() };
  if (log.snapshot && log.snapshot.seq <= seq) {
    const loaded = await loadSnapshot(log.fs, `${log.dir}/${SNAPSHOT_FILE}`);
    if (loaded?.ok && loaded.value.header.seq <= seq) {
      base = { seq: loaded.value.header.seq, items: loaded.value.items };
    }
  }
  if (base.seq < oldest - 1) {
    throw new LensletError(
      'not_found',
      `the log no longer holds records before seq ${oldest}; the oldest state available is seq ${oldest - 1}`,
    );
  }
  const fold = new TailFold<FoldTable>(base, { adopt: true });
  if (seq > base.seq) await forEachInRange(log, base.seq + 1, seq, (batch) => fold.add(batch));
  return fold.state();
}
