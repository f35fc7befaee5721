/**
 * The JSONL store's reads of the past: `replay` (from the recent records in memory, else from
 * the files, folded onto `stateAt`), `history` (through the history index, never a scan of the
 * log), `stateAt` (the snapshot or seq 1, folded forward) and the labels right after a record
 * (the answer to a retried idempotency key). Every fold is core's `foldInto` / `project`.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  foldInto,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
  project,
} from '@lenslet/core';
import { pathHash } from '../index/history-index.ts';
import { fileOf, type OpenLog, withStableFiles } from '../log/open-log.ts';
import type { CommittedRecord, HistoryQuery } from '../port/label-store.ts';
import type { CommitPipeline } from './commit-pipeline.ts';
import { foldUntil, readRange } from './range-read.ts';
import type { RecentRecords } from './recent-records.ts';

export type ReadersInit = {
  readonly log: OpenLog;
  readonly recent: RecentRecords;
  readonly commits: CommitPipeline;
  /** First seq the log files hold. */
  readonly oldestSeq: number;
  /** The seq the log starts after, over the empty state (0, or set by an import). */
  readonly origin: number;
  /** Resolves once the history index is complete: null, or why it could not be completed. */
  readonly indexed: Promise<string | null>;
};

export class StoreReaders {
  readonly #log: OpenLog;
  readonly #recent: RecentRecords;
  readonly #commits: CommitPipeline;
  readonly #oldestSeq: number;
  readonly #origin: number;
  readonly #indexed: Promise<string | null>;

  constructor(init: ReadersInit) {
    this.#log = init.log;
    this.#recent = init.recent;
    this.#commits = init.commits;
    this.#oldestSeq = init.oldestSeq;
    this.#origin = init.origin;
    this.#indexed = init.indexed;
  }

  /** Durable records with after < seq ≤ until, in order, with the labels each produced. */
  async *replay(from: number, until = Number.POSITIVE_INFINITY): AsyncIterable<CommittedRecord> {
    // Nothing was ever recorded before the origin: a point before it reads from it.
    const after = Math.max(from, this.#origin);
    const end = Math.min(until, this.#commits.head());
    if (after >= end) return;
    const held = this.#recent.range(after, end);
    if (held) {
      yield* held;
      return;
    }
    const base = await this.stateAt(after);
    const items = new Map(base.items);
    for await (const records of readRange(this.#log, after + 1, end)) {
      const batch: CommittedRecord[] = [];
      foldInto(items, records, base.seq, (record, labels) => batch.push({ record, labels }));
      yield* batch;
    }
  }

  /** One image's records, newest first (`before`: only seq < before). */
  async history(path: CanonicalPath, query: HistoryQuery = {}): Promise<LabelRecord[]> {
    const problem = await this.#indexed;
    // Never answer a partial history as if it were whole.
    if (problem !== null) throw new LensletError('internal', problem);
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    let cursor = Math.min(query.before ?? Number.POSITIVE_INFINITY, this.#commits.head() + 1);
    const hash = pathHash(path);
    const found: LabelRecord[] = [];
    while (found.length < limit && cursor > this.#origin + 1) {
      const want = Number.isFinite(limit) ? limit - found.length + 4 : 1024;
      const seqs = this.#log.index.candidates(hash, cursor, want);
      if (seqs.length === 0) break;
      for (const seq of seqs) {
        const record = await this.#recordAt(seq);
        if (record.path === path && found.length < limit) found.push(record);
      }
      cursor = seqs.at(-1)!;
    }
    return found;
  }

  /** The state as of `seq` (≤ head). */
  async stateAt(seq: number): Promise<LabelState> {
    const head = this.#commits.head();
    if (seq >= head) return { seq: head, items: new Map(this.#commits.items()) };
    return foldUntil(this.#log, Math.max(0, seq), this.#oldestSeq, this.#origin);
  }

  /** Labels of `path` right after record `seq` (answers a retried key), from its own history. */
  async labelsAfter(path: CanonicalPath, seq: number): Promise<{ labels: Labels; base?: number }> {
    const records = (await this.history(path, { before: seq + 1 })).reverse();
    const labels = project(records).items.get(path) ?? EMPTY_LABELS;
    return { labels, base: records.at(-1)?.base };
  }

  async #recordAt(seq: number): Promise<LabelRecord> {
    const held = this.#recent.record(seq);
    if (held) return held;
    const log = this.#log;
    return withStableFiles(log, async () => {
      const file = fileOf(log, seq);
      const offset = log.index.offsetOf(seq);
      if (!file || offset === null) throw new Error(`record ${seq} is not in the log`);
      return log.reader.read(file, offset, seq);
    });
  }
}
