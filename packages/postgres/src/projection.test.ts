import type { LabelRecord } from '@lenslet/core';
import { expect, test } from 'vitest';
import { Projection } from './projection.ts';
import { p } from './test-support.ts';

const record = (seq: number, tag: string): LabelRecord => ({
  v: 1,
  seq,
  at: `2026-03-01T09:00:${String(seq).padStart(2, '0')}.000Z`,
  actor: 'ana',
  path: p('/a.jpg'),
  version: seq + 1,
  mutation_id: `k${seq}`,
  fp: 'patch:0000000000000000',
  changes: [{ kind: 'tags_added', tags: [tag] }],
});

test('records are applied once, in seq order; duplicates are skipped and a gap stops the batch', () => {
  const projection = new Projection(0, null, 10);
  const seen: number[][] = [];
  projection.subscribe((batch) => seen.push(batch.map((c) => c.record.seq)));
  expect(projection.accept([record(1, 'a'), record(2, 'b')])).toBe(2);
  expect(projection.accept([record(2, 'b'), record(3, 'c'), record(5, 'e')])).toBe(1);
  expect(projection.accept([record(1, 'a')])).toBe(0);
  expect(projection.accept([record(4, 'd'), record(5, 'e')])).toBe(2);
  expect(seen).toEqual([[1, 2], [3], [4, 5]]);
  expect(projection.head()).toBe(5);
  expect(projection.get(p('/a.jpg'))).toMatchObject({
    tags: ['a', 'b', 'c', 'd', 'e'],
    version: 6,
  });
  expect(projection.lastAt()).toBe('2026-03-01T09:00:05.000Z');
});

test('labels given by the writer are kept; the ring answers recent replays only', () => {
  const projection = new Projection(0, null, 2);
  const labels = { ...projection.get(p('/a.jpg')), tags: ['from-writer'], version: 2 };
  projection.accept([{ record: record(1, 'x'), labels }]);
  expect(projection.get(p('/a.jpg'))).toBe(labels);
  for (let seq = 2; seq <= 6; seq++) projection.accept([record(seq, `t${seq}`)]);
  expect(projection.recent(4, 6)?.map((c) => c.record.seq)).toEqual([5, 6]);
  expect(projection.recent(0, 6)).toBeNull();
  expect(projection.recent(6, 6)).toEqual([]);
  expect(projection.recordAt(6)?.seq).toBe(6);
  expect(projection.recordAt(1)).toBeNull();
});
