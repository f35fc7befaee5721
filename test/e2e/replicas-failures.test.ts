/**
 * Failures of a replicated deployment, with real parts: three replicas of the built CLI on one
 * PostgreSQL behind HAProxy, 16 HTTP writers retrying with their Idempotency-Key and live
 * clients that reconnect through the balancer. A replica is SIGKILLed under load; PostgreSQL is
 * stopped and started under load. After each, every write that was answered 2xx is in the log at
 * the seq it was answered with, seqs are gapless, nothing was recorded twice, and every live client
 * saw every record exactly once, in order, across its reconnections.
 */
import { type PgCluster, startPgCluster } from '@lenslet/postgres/testing';
import {
  ensureBuilt,
  LiveClient,
  type ReplicaSet,
  startHttpWriters,
  startReplicaSet,
  until,
} from '@lenslet/test-kit';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { expectEveryAck, galleryPaths } from './replica-log.ts';

let cluster: PgCluster;
let set: ReplicaSet | undefined;
const clients: LiveClient[] = [];

beforeAll(async () => {
  await ensureBuilt();
  cluster = await startPgCluster();
}, 120_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await set?.stop();
  set = undefined;
});

afterAll(async () => {
  await cluster?.destroy();
});

async function replicaSet(database: string): Promise<ReplicaSet> {
  await cluster.psql(`CREATE DATABASE ${database}`);
  set = await startReplicaSet({ store: cluster.url(database) });
  return set;
}

/** Live clients through the balancer: with round robin, some land on every replica. */
function liveClients(url: string, count: number): LiveClient[] {
  for (let i = 0; i < count; i++) clients.push(new LiveClient(`${url}/events`, { lastEventId: 0 }));
  return clients;
}

async function health(url: string): Promise<{ status: number; state: string; seq: number }> {
  const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { labels: { state: string; seq: number } };
  return { status: res.status, state: body.labels.state, seq: body.labels.seq };
}

/** Every client got records 1..head exactly once, in order. */
async function expectEveryClientComplete(head: number): Promise<void> {
  for (const client of clients) {
    await client.until((c) => c.lastEventId === head, 15_000, `seq ${head}`);
    expect(client.seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  }
}

test('a replica SIGKILLed under 16 writers loses nothing acknowledged; its live clients resume elsewhere', async () => {
  const { url, replicas } = await replicaSet('killed');
  const live = liveClients(url, 6);
  await until(() => live.every((c) => c.connections.length > 0), 10_000);
  const onVictim = live.filter((c) => c.connections[0] === 'r2');
  expect(onVictim.length, 'live clients served by the replica to kill').toBeGreaterThan(0);
  const writers = startHttpWriters({
    url,
    writers: 16,
    tag: 'kill',
    paths: await galleryPaths(url),
  });
  try {
    await until(() => writers.acks.length >= 150, 60_000);
    await replicas[1]!.kill();
    const killedAt = writers.acks.length;
    await until(() => writers.acks.length >= killedAt + 300, 60_000);
  } finally {
    await writers.stop();
  }
  const head = await expectEveryAck(cluster.url('killed'), writers.acks);
  expect(new Set(writers.acks.map((a) => a.replica))).toEqual(new Set(['r1', 'r2', 'r3']));
  await expectEveryClientComplete(head);
  for (const client of onVictim) {
    expect(client.connections.length, 'reconnected after the kill').toBeGreaterThan(1);
    expect(client.connections.at(-1)).not.toBe('r2');
  }
  // Started again, the killed replica catches up with the log.
  await replicas[1]!.start();
  expect((await health(replicas[1]!.url)).seq).toBe(head);
}, 180_000);

test('PostgreSQL stopped under load: writes 503 within seconds, reads and streams stay up; started again, writes resume', async () => {
  const { url, replicas } = await replicaSet('outage');
  const live = liveClients(url, 3);
  await until(() => live.every((c) => c.connections.length > 0), 10_000);
  const paths = await galleryPaths(url);
  const writers = startHttpWriters({ url, writers: 16, tag: 'outage', paths });
  let during: Awaited<ReturnType<typeof health>>[] = [];
  let stoppedAt = 0;
  try {
    await until(() => writers.acks.length >= 150, 60_000);
    await cluster.stop();
    stoppedAt = Date.now();
    await until(
      () => writers.failures.some((f) => f.at > stoppedAt && f.error === 'persistence_unavailable'),
      15_000,
    );
    // Reads and /health keep answering on every replica, saying the database fails.
    await until(
      async () => {
        during = await Promise.all(replicas.map((r) => health(r.url)));
        return during.every((h) => h.state === 'failing');
      },
      10_000,
      'every replica failing',
    );
    const item = await fetch(`${url}/item?path=${encodeURIComponent(paths[0]!)}`);
    expect(item.status).toBe(200);
    await cluster.start();
    const restartedAt = Date.now();
    await until(() => writers.acks.filter((a) => a.at > restartedAt).length >= 150, 60_000);
  } finally {
    await writers.stop();
  }
  expect(during.map((h) => h.status)).toEqual([200, 200, 200]);
  expect(during.every((h) => h.state === 'failing')).toBe(true);
  const outage = writers.failures.filter((f) => f.at > stoppedAt);
  const unexplained = outage.filter((f) => f.error !== 'persistence_unavailable');
  expect(unexplained, 'failures other than 503 persistence_unavailable').toEqual([]);
  // Every write is answered within 2 × write_timeout_ms (5 s) even while the database is gone.
  expect(Math.max(...outage.map((f) => f.ms)), 'slowest failed write (ms)').toBeLessThan(11_000);
  expect(
    live.every((c) =>
      c.named('persistence').some((e) => (e.data as { state: string }).state === 'failing'),
    ),
  ).toBe(true);
  const head = await expectEveryAck(cluster.url('outage'), writers.acks);
  await expectEveryClientComplete(head);
  // Nobody was restarted: the same three processes answer, saved again.
  expect(replicas.map((r) => r.incarnations.length)).toEqual([1, 1, 1]);
  const states = async () =>
    (await Promise.all(replicas.map((r) => health(r.url)))).map((h) => h.state);
  await until(async () => (await states()).every((s) => s === 'saved'), 10_000, 'saved again');
}, 180_000);
