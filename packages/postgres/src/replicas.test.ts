import type { CommittedRecord } from '@lenslet/store';
import { encodeRecord } from '@lenslet/store';
import { afterEach, expect, test } from 'vitest';
import { openPostgresStore } from './open-postgres-store.ts';
import type { PostgresStore } from './postgres-store.ts';
import { freshDatabase, meta, p, quick, rejection, useCluster } from './test-support.ts';

const cluster = useCluster();
const open: PostgresStore[] = [];

async function twoReplicas(options = quick): Promise<[PostgresStore, PostgresStore]> {
  const url = await freshDatabase(cluster());
  const a = await openPostgresStore(url, options);
  const b = await openPostgresStore(url, options);
  open.push(a, b);
  return [a, b];
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a write on one replica reaches the other through subscribe, with the same seq and bytes', async () => {
  // A poll far away: the record must come by NOTIFY.
  const [a, b] = await twoReplicas({ ...quick, poll_interval_ms: 60_000 });
  expect(b.log_id).toBe(a.log_id);
  const seen: CommittedRecord[] = [];
  b.subscribe((batch) => seen.push(...batch));
  const written = [];
  for (let i = 0; i < 5; i++) {
    written.push(
      await a.apply({ path: p(`/r${i % 2}.jpg`), patch: { add_tags: [`t${i}`] } }, meta()),
    );
  }
  await until(() => b.head() === 5);
  expect(seen.map((c) => c.record.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(seen.map((c) => encodeRecord(c.record))).toEqual(
    written.map((r) => encodeRecord(r.record!)),
  );
  expect(seen.at(-1)!.labels).toEqual(a.get(p('/r0.jpg')));
  expect(b.get(p('/r1.jpg'))).toEqual(a.get(p('/r1.jpg')));
});

test('sync() makes a write acknowledged elsewhere visible before it resolves', async () => {
  const [a, b] = await twoReplicas({ ...quick, poll_interval_ms: 60_000 });
  for (let i = 0; i < 20; i++) {
    const result = await a.apply(
      { path: p('/rw.jpg'), patch: { set_notes: `n${i}` }, expected_version: i + 1 },
      meta(),
    );
    expect(await b.sync()).toBeGreaterThanOrEqual(result.seq);
    expect(b.get(p('/rw.jpg'))).toMatchObject({ notes: `n${i}`, version: i + 2 });
    expect((await b.history(p('/rw.jpg'), { limit: 1 }))[0]?.seq).toBe(result.seq);
  }
});

test('per-field conflicts across replicas: one set_star wins, the other gets the current labels', async () => {
  const [a, b] = await twoReplicas();
  const results = await Promise.allSettled([
    a.apply({ path: p('/c.jpg'), patch: { set_star: 3 }, expected_version: 1 }, meta()),
    b.apply({ path: p('/c.jpg'), patch: { set_star: 5 }, expected_version: 1 }, meta()),
    b.apply({ path: p('/c.jpg'), patch: { set_notes: 'fine' }, expected_version: 1 }, meta()),
  ]);
  const stars = results.slice(0, 2);
  expect(stars.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = stars.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(lost.reason.code).toBe('version_conflict');
  expect(lost.reason.details.conflicting_fields).toEqual(['star']);
  expect(lost.reason.details.current.version).toBeGreaterThanOrEqual(2);
  // The notes patch touched another field: it rebased instead of conflicting.
  expect(results[2]!.status).toBe('fulfilled');
  await a.sync();
  await b.sync();
  expect(a.get(p('/c.jpg'))).toEqual(b.get(p('/c.jpg')));
  expect(a.get(p('/c.jpg'))).toMatchObject({ version: 3, notes: 'fine' });
});

test('idempotency across replicas: a retry on the other replica answers the original', async () => {
  const [a, b] = await twoReplicas();
  const m = meta();
  const first = await a.apply(
    { path: p('/i.jpg'), patch: { set_star: 2 }, expected_version: 1 },
    m,
  );
  await a.apply({ path: p('/i.jpg'), patch: { add_tags: ['later'] } }, meta());
  const again = await b.apply(
    { path: p('/i.jpg'), patch: { set_star: 2 }, expected_version: 1 },
    m,
  );
  expect(again).toMatchObject({ replayed: true, seq: first.seq });
  expect(again.labels).toEqual(first.labels);
  const reused = await rejection(
    b.apply({ path: p('/i.jpg'), patch: { set_star: 4 }, expected_version: 1 }, m),
  );
  expect(reused.code).toBe('idempotency_key_reused');
  expect(b.head()).toBe(2);
});

test('concurrent writers on both replicas: gapless seqs, each record delivered once everywhere', async () => {
  const [a, b] = await twoReplicas();
  const seen = new Map<PostgresStore, number[]>([
    [a, []],
    [b, []],
  ]);
  for (const store of [a, b]) {
    store.subscribe((batch) => seen.get(store)!.push(...batch.map((c) => c.record.seq)));
  }
  const writes = Array.from({ length: 300 }, (_, i) =>
    (i % 2 ? a : b).apply({ path: p(`/g${i % 7}.jpg`), patch: { add_tags: [`t${i}`] } }, meta()),
  );
  const results = await Promise.all(writes);
  const seqs = results.map((r) => r.seq).sort((x, y) => x - y);
  expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  await a.sync();
  await b.sync();
  expect(seen.get(a)).toEqual(seqs);
  expect(seen.get(b)).toEqual(seqs);
  expect(new Map(a.items())).toEqual(new Map(b.items()));
  const replayed: string[] = [];
  for await (const c of b.replay(0)) replayed.push(encodeRecord(c.record));
  const fromA: string[] = [];
  for await (const c of a.replay(0)) fromA.push(encodeRecord(c.record));
  expect(replayed).toEqual(fromA);
  expect(replayed).toHaveLength(300);
});

test('a new replica starts from the snapshot plus the tail', async () => {
  const url = await freshDatabase(cluster());
  const a = await openPostgresStore(url, { ...quick, snapshot_every_records: 0 });
  open.push(a);
  for (let i = 0; i < 30; i++) {
    await a.apply({ path: p(`/s${i % 4}.jpg`), patch: { add_tags: [`t${i}`] } }, meta());
  }
  expect(await a.snapshot()).toBe(true);
  expect(await a.snapshot()).toBe(false);
  for (let i = 30; i < 35; i++) {
    await a.apply({ path: p(`/s${i % 4}.jpg`), patch: { add_tags: [`t${i}`] } }, meta());
  }
  const b = await openPostgresStore(url, quick);
  open.push(b);
  expect(b.status().snapshot_seq).toBe(30);
  expect(b.head()).toBe(35);
  expect(new Map(b.items())).toEqual(new Map(a.items()));
  expect(await b.stateAt(32)).toEqual(await a.stateAt(32));
});
