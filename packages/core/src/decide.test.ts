import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decide } from './decide.ts';
import type { LensletError } from './errors.ts';
import { evolve } from './evolve.ts';
import { EMPTY_LABELS } from './labels.ts';
import { labelsWith, recordOf } from './test-support.ts';

function thrown(fn: () => unknown): LensletError {
  try {
    fn();
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected an error');
}

describe('decide: set operations', () => {
  test('given a fresh image, when star is set at version 1, then one star_set is recorded', () => {
    expect(decide({ set_star: 4 }, EMPTY_LABELS, { expected_version: 1 })).toEqual({
      changes: [{ kind: 'star_set', star: 4, from: null }],
      rebased: false,
    });
  });

  test('set_* without an expected version is refused with precondition_required', () => {
    const error = thrown(() => decide({ set_notes: 'x' }, EMPTY_LABELS));
    expect(error.code).toBe('precondition_required');
    expect(error.message).toContain('set_notes');
  });

  test('last-writer-wins mode sets without an expected version', () => {
    const labels = labelsWith({
      star: 2,
      version: 5,
      field_versions: { star: 5, notes: 0, tags: 0 },
    });
    expect(decide({ set_star: 3 }, labels, { last_writer_wins: true }).changes).toEqual([
      { kind: 'star_set', star: 3, from: 2 },
    ]);
  });

  test('a stale set on a field nobody changed since is applied and marked rebased', () => {
    const labels = labelsWith({
      star: 1,
      version: 4,
      field_versions: { star: 2, notes: 4, tags: 3 },
    });
    expect(decide({ set_star: 5 }, labels, { expected_version: 2 })).toEqual({
      changes: [{ kind: 'star_set', star: 5, from: 1 }],
      rebased: true,
    });
  });

  test('a stale set on a field changed after the expected version conflicts and applies nothing', () => {
    const labels = labelsWith({
      star: 1,
      notes: 'n',
      version: 4,
      field_versions: { star: 3, notes: 0, tags: 0 },
    });
    const error = thrown(() =>
      decide({ set_star: 5, add_tags: ['x'], set_notes: 'm' }, labels, { expected_version: 2 }),
    );
    expect(error.code).toBe('version_conflict');
    expect(error.details).toEqual({ conflicting_fields: ['star'] });
  });

  test('a stale set whose value already equals the current one is a no-op, not a conflict', () => {
    const labels = labelsWith({
      star: 5,
      version: 4,
      field_versions: { star: 4, notes: 0, tags: 0 },
    });
    expect(decide({ set_star: 5 }, labels, { expected_version: 1 })).toEqual({
      changes: [],
      rebased: false,
    });
  });

  test('an expected version ahead of the image conflicts', () => {
    expect(
      thrown(() => decide({ add_tags: ['a'] }, EMPTY_LABELS, { expected_version: 7 })).code,
    ).toBe('version_conflict');
  });

  test('set_tags that reorders tags is a change; equal tags are not', () => {
    const labels = labelsWith({ tags: ['a', 'b'] });
    expect(decide({ set_tags: ['a', 'b'] }, labels, { expected_version: 1 }).changes).toEqual([]);
    expect(decide({ set_tags: ['b', 'a'] }, labels, { expected_version: 1 }).changes).toEqual([
      { kind: 'tags_set', tags: ['b', 'a'], from: ['a', 'b'] },
    ]);
  });
});

describe('decide: commuting operations', () => {
  const labels = labelsWith({
    tags: ['a', 'b'],
    version: 9,
    field_versions: { star: 0, notes: 0, tags: 9 },
  });

  test('add/remove apply without an expected version and list only real changes', () => {
    expect(decide({ add_tags: ['b', 'c'], remove_tags: ['a', 'zzz'] }, labels)).toEqual({
      changes: [
        { kind: 'tags_removed', tags: ['a'] },
        { kind: 'tags_added', tags: ['c'] },
      ],
      rebased: false,
    });
  });

  test('add with a stale version applies and says rebased', () => {
    expect(decide({ add_tags: ['z'] }, labels, { expected_version: 3 }).rebased).toBe(true);
  });

  test('order is set_tags, remove_tags, add_tags', () => {
    expect(
      decide({ set_tags: ['x', 'y'], remove_tags: ['x'], add_tags: ['x', 'w'] }, labels, {
        expected_version: 9,
      }).changes,
    ).toEqual([
      { kind: 'tags_set', tags: ['x', 'y'], from: ['a', 'b'] },
      { kind: 'tags_removed', tags: ['x'] },
      { kind: 'tags_added', tags: ['x', 'w'] },
    ]);
  });

  test('a patch that changes nothing records nothing', () => {
    expect(decide({ add_tags: ['a'], remove_tags: ['q'], set_metrics: {} }, labels)).toEqual({
      changes: [],
      rebased: false,
    });
  });

  test('set_metrics merges, null deletes, unchanged values are not recorded', () => {
    const withMetrics = labelsWith({ metrics: { a: 1, b: 2 } });
    expect(decide({ set_metrics: { a: 1, b: null, c: 3, d: null } }, withMetrics).changes).toEqual([
      { kind: 'metrics_set', metrics: { b: null, c: 3 }, from: { b: 2, c: null } },
    ]);
  });

  test('too many tags in total is invalid_patch', () => {
    const full = labelsWith({ tags: Array.from({ length: 256 }, (_, i) => `t${i}`) });
    expect(thrown(() => decide({ add_tags: ['one-more'] }, full)).code).toBe('invalid_patch');
  });
});

describe('evolve', () => {
  test('applies each change kind and takes version, time and actor from the record', () => {
    const record = recordOf('/a.jpg', 7, 2, [
      { kind: 'star_set', star: 3, from: null },
      { kind: 'notes_set', notes: 'hi', from: '' },
      { kind: 'tags_added', tags: ['x'] },
      { kind: 'metrics_set', metrics: { s: 0.5 }, from: { s: null } },
    ]);
    expect(evolve(EMPTY_LABELS, record)).toEqual({
      star: 3,
      notes: 'hi',
      tags: ['x'],
      metrics: { s: 0.5 },
      version: 2,
      updated_at: record.at,
      updated_by: 'ana',
      field_versions: { star: 2, notes: 2, tags: 2 },
    });
  });

  test('metric-only records leave the set-field versions alone', () => {
    const next = evolve(
      EMPTY_LABELS,
      recordOf('/a.jpg', 1, 2, [{ kind: 'metrics_set', metrics: { s: 1 }, from: { s: null } }]),
    );
    expect(next.field_versions).toEqual({ star: 0, notes: 0, tags: 0 });
  });

  test('returns the same object for a record without changes', () => {
    expect(evolve(EMPTY_LABELS, recordOf('/a.jpg', 1, 2, []))).toBe(EMPTY_LABELS);
  });

  test('never mutates its input', () => {
    const before = labelsWith({ tags: ['a'], metrics: { m: 1 } });
    const snapshot = structuredClone(before);
    evolve(
      before,
      recordOf('/a.jpg', 1, 2, [
        { kind: 'tags_removed', tags: ['a'] },
        { kind: 'metrics_set', metrics: { m: null }, from: { m: 1 } },
      ]),
    );
    expect(before).toEqual(snapshot);
  });
});

describe('decide: tag lists of any length', () => {
  // Short lists are searched directly and longer ones through a Set: both must answer alike.
  const tag = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));
  const list = fc.uniqueArray(tag, { maxLength: 20 });
  test('remove_tags removes exactly the present ones, add_tags adds exactly the missing ones, in order', () => {
    fc.assert(
      fc.property(
        list,
        fc.option(list, { nil: undefined }),
        fc.option(list, { nil: undefined }),
        (tags, remove, add) => {
          const labels = labelsWith({ tags, version: 1 });
          const { changes } = decide({ remove_tags: remove, add_tags: add }, labels);
          const removed = tags.filter((t) => remove?.includes(t));
          const kept = tags.filter((t) => !remove?.includes(t));
          const added = (add ?? []).filter((t) => !kept.includes(t));
          const expected = [
            ...(removed.length > 0 ? [{ kind: 'tags_removed', tags: removed }] : []),
            ...(added.length > 0 ? [{ kind: 'tags_added', tags: added }] : []),
          ];
          expect(changes).toEqual(expected);
          const after = evolve(labels, recordOf('/x.jpg', 1, 2, changes));
          expect(after.tags).toEqual([...kept, ...added]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
