/** Builders for domain tests (not exported from the package). */
import type { Change, LabelRecord } from './events.ts';
import { EMPTY_LABELS, type Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

export function labelsWith(overrides: Partial<Labels> = {}): Labels {
  return { ...EMPTY_LABELS, ...overrides };
}

export function recordOf(
  path: string,
  seq: number,
  version: number,
  changes: Change[],
  actor = 'ana',
): LabelRecord {
  return {
    v: 1,
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actor,
    path: path as CanonicalPath,
    version,
    mutation_id: `m-${seq}`,
    fp: `fp-${seq}`,
    changes,
  };
}
