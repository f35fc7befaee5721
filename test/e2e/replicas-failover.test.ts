/**
 * The tested topology of docs/deploy.md under its worst failure: three replicas of the built CLI
 * behind HAProxy, on a PostgreSQL primary with a synchronous standby, every replica started with
 * the multi-host URL (`postgres://primary,standby/db?target_session_attrs=read-write`). The
 * primary is SIGKILLed while 16 writers write, the standby is promoted; writes resume on it
 * without restarting any replica, every write answered 2xx is on the promoted standby, seqs are
 * gapless, and live clients saw every record once, in order.
 */
import { type PgCluster, startPgCluster, startStandby } from '@lenslet/postgres/testing';
import {
  ensureBuilt,
  LiveClient,
  type ReplicaSet,
  startHttpWriters,
  startReplicaSet,
  until,
} from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expectEveryAck, galleryPaths } from './replica-log.ts';

let primary: PgCluster;
let standby: PgCluster;
let set: ReplicaSet | undefined;
const clients: LiveClient[] = [];

beforeAll(async () => {
  await ensureBuilt();
  primary = await startPgCluster();
  await primary.psql('CREATE DATABASE lenslet');
  standby = await startStandby(primary, { synchronous: true });
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await set?.stop();
  await standby?.destroy();
  await primary?.destroy();
});

test('primary SIGKILLed and standby promoted under load: nothing acknowledged is lost, replicas follow', async () => {
  const store = `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/lenslet?target_session_attrs=read-write`;
  set = await startReplicaSet({ store });
  for (let i = 0; i < 3; i++) clients.push(new LiveClient(`${set.url}/events`, { lastEventId: 0 }));
  await until(() => clients.every((c) => c.connections.length > 0), 10_000);
  const writers = startHttpWriters({
    url: set.url,
    writers: 16,
    tag: 'failover',
    paths: await galleryPaths(set.url),
  });
  let promotedAt = 0;
  try {
    await until(() => writers.acks.length >= 150, 60_000);
    await primary.kill();
    // Down for longer than the default write_timeout_ms (5 s): a shorter outage can end before
    // any write gives up, when every COMMIT cut by the kill had reached the synchronous standby.
    await new Promise((r) => setTimeout(r, 5_500));
    await standby.promote();
    promotedAt = Date.now();
    await until(() => writers.acks.filter((a) => a.at > promotedAt).length >= 150, 60_000);
  } finally {
    await writers.stop();
  }
  expect(writers.failures.length, 'writes between the kill and the promotion fail').toBeGreaterThan(
    0,
  );
  const unexplained = writers.failures.filter((f) => f.error !== 'persistence_unavailable');
  expect(unexplained, 'failures other than 503 persistence_unavailable').toEqual([]);
  const head = await expectEveryAck(standby.url('lenslet'), writers.acks);
  for (const client of clients) {
    await client.until((c) => c.lastEventId === head, 15_000, `seq ${head}`);
    expect(client.seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  }
  expect(set.replicas.map((r) => r.incarnations.length)).toEqual([1, 1, 1]);
}, 240_000);
