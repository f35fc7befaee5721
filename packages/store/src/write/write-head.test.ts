import { type CanonicalPath, EMPTY_LABELS, type Labels } from '@lenslet/core';
import { expect, test } from 'vitest';
import { IdempotencyIndex } from '../index/idempotency.ts';
import type { WriteMeta } from '../port/label-store.ts';
import { WriteHead } from './write-head.ts';

const p = (path: string) => path as CanonicalPath;
const now = new Date('2026-12-06T11:00:00.000Z');

/** A head over a durable map that the test commits into by hand. */
function head() {
  const durable = new Map<CanonicalPath, Labels>();
  let seq = 0;
  const keys = new IdempotencyIndex();
  const writes = new WriteHead(
    { get: (path) => durable.get(path) ?? EMPTY_LABELS, head: () => seq, lastAt: () => null },
    keys,
  );
  const commit = (...plans: ReturnType<WriteHead['planOne']>[]) => {
    for (const plan of plans) {
      if (plan.kind !== 'record') throw new Error(`not a record: ${plan.kind}`);
      durable.set(plan.record.path, plan.labels);
      seq = plan.record.seq;
    }
    writes.committed(seq);
  };
  return { writes, keys, commit };
}

const meta = (mutation_id: string, mode: WriteMeta['mode'] = 'patch'): WriteMeta => ({
  actor: 'ana',
  mutation_id,
  mode,
});

test('a key still queued answers a retry, refuses a different request, and allows more of a bulk', () => {
  const { writes, commit } = head();
  const first = writes.planOne(
    { path: p('/a'), patch: { add_tags: ['x'] } },
    meta('key-0001'),
    now,
  );
  expect(first.kind).toBe('record');
  const retry = writes.planOne(
    { path: p('/a'), patch: { add_tags: ['x'] } },
    meta('key-0001'),
    now,
  );
  expect(retry).toMatchObject({ kind: 'retry', seq: 1 });
  const other = writes.planOne(
    { path: p('/a'), patch: { add_tags: ['y'] } },
    meta('key-0001'),
    now,
  );
  expect(other).toMatchObject({ kind: 'error', error: { code: 'idempotency_key_reused' } });
  const elsewhere = writes.planOne(
    { path: p('/b'), patch: { add_tags: ['x'] } },
    meta('key-0001'),
    now,
  );
  expect(elsewhere).toMatchObject({ kind: 'error', error: { code: 'idempotency_key_reused' } });
  // Three records of one bulk key queued at once, then one more for a path already covered.
  const bulk = writes.plan(
    ['/c', '/d', '/e'].map((path) => ({ path: p(path), patch: { set_star: 3 } })),
    { ...meta('bulk-0001', 'bulk'), actor: 'ana' },
    now,
  );
  expect(bulk.map((b) => b.kind)).toEqual(['error', 'error', 'error']);
  const lww = writes.plan(
    ['/c', '/d', '/e'].map((path) => ({
      path: p(path),
      patch: { set_star: 3 },
      last_writer_wins: true,
    })),
    meta('bulk-0002', 'bulk'),
    now,
  );
  expect(lww.map((b) => b.kind)).toEqual(['record', 'record', 'record']);
  const again = writes.planOne(
    { path: p('/d'), patch: { set_star: 3 }, last_writer_wins: true },
    meta('bulk-0002', 'bulk'),
    now,
  );
  expect(again).toMatchObject({ kind: 'retry', seq: 3 });
  commit(first, ...lww);
  // Durable now: the same answers come from the key index, and the overlay is gone.
  expect(
    writes.planOne({ path: p('/a'), patch: { add_tags: ['x'] } }, meta('key-0001'), now),
  ).toMatchObject({ kind: 'retry', seq: 1 });
  expect(
    writes.planOne(
      { path: p('/e'), patch: { set_star: 3 }, last_writer_wins: true },
      meta('bulk-0002', 'bulk'),
      now,
    ),
  ).toMatchObject({ kind: 'retry', seq: 4 });
  expect(writes.labelsOf(p('/a')).tags).toEqual(['x']);
  expect(writes.reservedHead()).toBe(4);
});

test('the overlay shows the newest queued labels of a path until it is durable', () => {
  const { writes, commit } = head();
  const one = writes.planOne({ path: p('/a'), patch: { add_tags: ['x'] } }, meta('key-0001'), now);
  const two = writes.planOne({ path: p('/a'), patch: { add_tags: ['y'] } }, meta('key-0002'), now);
  expect(writes.labelsOf(p('/a')).tags).toEqual(['x', 'y']);
  commit(one);
  expect(writes.labelsOf(p('/a')).tags).toEqual(['x', 'y']);
  commit(two);
  expect(writes.labelsOf(p('/a')).tags).toEqual(['x', 'y']);
  writes.planOne({ path: p('/a'), patch: { add_tags: ['z'] } }, meta('key-0003'), now);
  writes.reset();
  expect(writes.labelsOf(p('/a')).tags).toEqual(['x', 'y']);
  expect(writes.reservedHead()).toBe(2);
});
