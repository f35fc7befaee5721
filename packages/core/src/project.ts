/**
 * project: the one fold of records onto a state. Snapshots, compaction, recovery and
 * `lenslet replay --until` all call it; `evolve` is its only step.
 */

import type { LabelRecord } from './events.ts';
import { evolve } from './evolve.ts';
import { EMPTY_LABELS, type Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

/** Labels of every image that has at least one record, as of `seq`. */
export type LabelState = {
  readonly seq: number;
  readonly items: ReadonlyMap<CanonicalPath, Labels>;
};

/** The state before any record. */
export function initialState(): LabelState {
  return { seq: 0, items: new Map() };
}

/**
 * Fold records onto a state. Copies the item map once per call and never mutates `from`.
 * project(all) equals project(tail, project(head)) at every split point.
 */
export function project(
  records: Iterable<LabelRecord>,
  from: LabelState = initialState(),
): LabelState {
  const items = new Map(from.items);
  let seq = from.seq;
  for (const record of records) {
    items.set(record.path, evolve(items.get(record.path) ?? EMPTY_LABELS, record));
    seq = record.seq;
  }
  return { seq, items };
}
