import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decide } from './decide.ts';
import type { LensletError } from './errors.ts';
import type { LabelRecord } from './events.ts';
import { evolve } from './evolve.ts';
import { EMPTY_LABELS, type Labels } from './labels.ts';
import type { Patch } from './patch.ts';
import type { CanonicalPath } from './paths.ts';
import { foldInto, initialState, project } from './project.ts';
import { inversePatch } from './undo.ts';

const paths = ['/a.jpg', '/b.jpg', '/c/d.png'] as CanonicalPath[];
const tag = fc.constantFrom('cat', 'dog', 'blur', 'keep', 'x');
const patchArb: fc.Arbitrary<Patch> = fc.record(
  {
    set_star: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    set_notes: fc.constantFrom('', 'ok', 'blurry', 'ünïcode'),
    set_tags: fc.uniqueArray(tag, { maxLength: 3 }),
    add_tags: fc.uniqueArray(tag, { maxLength: 3 }),
    remove_tags: fc.uniqueArray(tag, { maxLength: 3 }),
    set_metrics: fc.dictionary(
      fc.constantFrom('s', 't'),
      fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    ),
  },
  { requiredKeys: [] },
);
const stepArb = fc.record({ path: fc.constantFrom(...paths), patch: patchArb, stale: fc.nat(3) });

/** Run decide+evolve like the store does, producing the records a log would hold. */
function simulate(steps: { path: CanonicalPath; patch: Patch; stale: number }[]): LabelRecord[] {
  const live = new Map<CanonicalPath, Labels>();
  const records: LabelRecord[] = [];
  for (const { path, patch, stale } of steps) {
    const labels = live.get(path) ?? EMPTY_LABELS;
    try {
      const expected = Math.max(1, labels.version - stale);
      const { changes } = decide(patch, labels, { expected_version: expected });
      if (changes.length === 0) continue;
      const record: LabelRecord = {
        v: 1,
        seq: records.length + 1,
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, records.length)).toISOString(),
        actor: 'fc',
        path,
        version: labels.version + 1,
        mutation_id: `m${records.length}`,
        fp: 'x',
        changes,
      };
      records.push(record);
      foldInto(live, [record]);
    } catch (error) {
      if ((error as LensletError).code !== 'version_conflict') throw error;
    }
  }
  return records;
}

describe('foldInto', () => {
  test('folds in place, reports each record with its labels, and returns the last seq', () => {
    const records = simulate([
      { path: paths[0]!, patch: { set_star: 3 }, stale: 0 },
      { path: paths[1]!, patch: { add_tags: ['cat'] }, stale: 0 },
      { path: paths[0]!, patch: { set_star: 5 }, stale: 0 },
    ]);
    const target = new Map<CanonicalPath, Labels>();
    const seen: [number, number | null][] = [];
    const last = foldInto(target, records, 0, (r, labels) => seen.push([r.seq, labels.star]));
    expect(last).toBe(3);
    expect(seen).toEqual([
      [1, 3],
      [2, null],
      [3, 5],
    ]);
    expect(target.get(paths[0]!)?.version).toBe(3);
    expect(target.get(paths[1]!)?.tags).toEqual(['cat']);
  });

  test('with no records it returns the seq it started after and writes nothing', () => {
    const target = new Map<CanonicalPath, Labels>();
    expect(foldInto(target, [], 41)).toBe(41);
    expect(target.size).toBe(0);
  });

  test('accepts any get/set table, not only a Map', () => {
    const records = simulate([{ path: paths[2]!, patch: { set_notes: 'ok' }, stale: 0 }]);
    const cells: Record<string, Labels> = {};
    foldInto({ get: (p) => cells[p], set: (p, l) => (cells[p] = l) }, records);
    expect(cells[paths[2]!]?.notes).toBe('ok');
  });
});

describe('project', () => {
  test('replay property: project(all) equals project(tail, project(head)) at every split', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const records = simulate(steps);
        const all = project(records);
        for (let split = 0; split <= records.length; split++) {
          const resumed = project(records.slice(split), project(records.slice(0, split)));
          expect(resumed).toEqual(all);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('never mutates the state it starts from', () => {
    const records = simulate([{ path: paths[0]!, patch: { add_tags: ['cat'] }, stale: 0 }]);
    const start = initialState();
    project(records, start);
    expect(start.items.size).toBe(0);
    expect(start.seq).toBe(0);
  });

  test('the inverse patch of a record restores the labels it replaced', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), patchArb, (setup, last) => {
        const records = simulate(setup);
        const before = project(records).items.get(paths[0]!) ?? EMPTY_LABELS;
        let after: Labels;
        let record: LabelRecord;
        try {
          const { changes } = decide(last, before, { expected_version: before.version });
          if (changes.length === 0) return;
          record = {
            ...records[0]!,
            seq: 999,
            path: paths[0]!,
            version: before.version + 1,
            changes,
          };
          after = evolve(before, record);
        } catch {
          return;
        }
        const undo = decide(inversePatch(record), after, { expected_version: after.version });
        const restored = evolve(after, {
          ...record,
          version: after.version + 1,
          changes: undo.changes,
        });
        expect(restored.star).toEqual(before.star);
        expect(restored.notes).toEqual(before.notes);
        expect(new Set(restored.tags)).toEqual(new Set(before.tags));
        expect(restored.metrics).toEqual(before.metrics);
      }),
      { numRuns: 200 },
    );
  });
});
