import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPostgresStore } from './open-postgres-store.ts';
import { expectAllAcknowledged, startLoad, until } from './test-load.ts';
import { meta, p, quick, rejection } from './test-support.ts';
import { type PgCluster, startPgCluster, startStandby } from './testing/pg-cluster.ts';

let primary: PgCluster;
let standby: PgCluster;

beforeAll(async () => {
  primary = await startPgCluster();
  standby = await startStandby(primary, { synchronous: true });
  await primary.psql('CREATE DATABASE doubt');
  await primary.psql('CREATE DATABASE failover');
});

afterAll(async () => {
  standby?.resume();
  await standby?.destroy();
  await primary?.destroy();
});

const both = (db: string) =>
  `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/${db}?target_session_attrs=read-write`;

test('a COMMIT whose answer is lost is never a false success, and its retry is exactly-once', async () => {
  const store = await openPostgresStore(both('doubt'), { ...quick, write_timeout_ms: 1_000 });
  try {
    await store.apply({ path: p('/d.jpg'), patch: { add_tags: ['before'] } }, meta());
    // The synchronous standby stops answering: the COMMIT waits, the writer gives up on it.
    standby.pause();
    const m = meta();
    const entry = { path: p('/d.jpg'), patch: { set_notes: 'in doubt' }, expected_version: 2 };
    const started = Date.now();
    const error = await rejection(store.apply(entry, m));
    expect(error.code).toBe('persistence_unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(store.status().state).toBe('failing');
    expect(store.get(p('/d.jpg')).notes).toBe('');
    standby.resume();
    // It did commit once the standby answered: the retry gets the original record back.
    let retry: Awaited<ReturnType<typeof store.apply>> | undefined;
    for (let i = 0; i < 100 && !retry; i++) {
      retry = await store.apply(entry, m).catch(() => undefined);
      if (!retry) await new Promise((r) => setTimeout(r, 100));
    }
    expect(retry).toMatchObject({ replayed: true, seq: 2 });
    expect(store.get(p('/d.jpg'))).toMatchObject({ notes: 'in doubt', version: 3 });
    expect(store.head()).toBe(2);
    await until(() => store.status().state === 'saved');
  } finally {
    standby.resume();
    await store.close();
  }
});

test('primary SIGKILLed and standby promoted under load: every acknowledged write is there, seqs gapless', async () => {
  const url = both('failover');
  // Every write is answered within 2 × write_timeout_ms (its transaction, then settling a lost
  // COMMIT answer): 4 s here.
  const store = await openPostgresStore(url, { ...quick, write_timeout_ms: 2_000 });
  const load = startLoad(store, 8, 'failover');
  try {
    await until(() => load.acks.length >= 200);
    await primary.kill();
    // Down for longer than a write may wait to settle a lost COMMIT answer (write_timeout_ms):
    // a shorter outage can end before any write gives up, so every write would then succeed
    // (a COMMIT cut by the kill had reached the synchronous standby and is confirmed on it).
    await new Promise((r) => setTimeout(r, 2_500));
    await standby.promote();
    const promoted = Date.now();
    await until(() => load.acks.filter((a) => a.at > promoted).length >= 200, 20_000);
  } finally {
    await load.stop();
  }
  expect(load.failures.length, 'writes between the kill and the promotion fail').toBeGreaterThan(0);
  expect(new Set(load.failures.map((f) => f.code))).toEqual(new Set(['persistence_unavailable']));
  expect(Math.max(...load.failures.map((f) => f.ms)), 'slowest failed write (ms)').toBeLessThan(
    5_000,
  );
  await store.sync();
  const count = await expectAllAcknowledged(standby.url('failover'), load.acks);
  expect(count).toBe(new Set(load.acks.map((a) => a.seq)).size);
  expect(store.head()).toBe(count);
  await store.close();
});
