/**
 * The one fold of records onto labels. `foldInto` is the only loop that applies records: `project`
 * (snapshots, compaction, `lenslet replay --until`), the stores' recovery and live apply, the soak
 * verifier and the browser all call it, and `evolve` is its only step.
 */

import type { LabelRecord } from './events.ts';
import { evolve, type RecordFacts } from './evolve.ts';
import { EMPTY_LABELS, type Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

/** Labels of every image that has at least one record, as of `seq`. */
export type LabelState = {
  readonly seq: number;
  readonly items: ReadonlyMap<CanonicalPath, Labels>;
};

/** What the fold reads of a record: the image, its seq and what `evolve` needs. */
export type FoldRecord = RecordFacts & Pick<LabelRecord, 'path' | 'seq'>;

/**
 * Where the fold writes: a `Map` works, and so does any other per-image table (a columnar
 * projection, a map that keeps only some images).
 */
export interface LabelTarget {
  get(path: CanonicalPath): Labels | undefined;
  set(path: CanonicalPath, labels: Labels): unknown;
}

/**
 * Apply `records` in order to `target`, in place. `onApplied` sees each record with the labels it
 * produced. Returns the seq of the last record, or `afterSeq` when there was none.
 * `foldInto(m, [r1, r2])` ≡ `foldInto(m, [r1]); foldInto(m, [r2])`.
 */
export function foldInto<R extends FoldRecord>(
  target: LabelTarget,
  records: Iterable<R>,
  afterSeq = 0,
  onApplied?: (record: R, labels: Labels) => void,
): number {
  let seq = afterSeq;
  for (const record of records) {
    const labels = evolve(target.get(record.path) ?? EMPTY_LABELS, record);
    target.set(record.path, labels);
    onApplied?.(record, labels);
    seq = record.seq;
  }
  return seq;
}

/** The state before any record. */
export function initialState(): LabelState {
  return { seq: 0, items: new Map() };
}

/**
 * Fold records onto a state. Copies the item map once per call and never mutates `from`.
 * project(all) equals project(tail, project(head)) at every split point.
 */
export function project(
  records: Iterable<FoldRecord>,
  from: LabelState = initialState(),
): LabelState {
  const items = new Map(from.items);
  const seq = foldInto(items, records, from.seq);
  return { seq, items };
}
