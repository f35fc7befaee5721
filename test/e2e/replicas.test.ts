/**
 * Three `lenslet serve` replicas (the built CLI) on one PostgreSQL label log, behind a real
 * HAProxy doing round robin (docs/deploy.md): the behaviours one server promises over HTTP and
 * SSE, held across replicas — a write on one is on every other's stream with the same id, a
 * stream resumes on another replica without gap or duplicate, conflicts are per field and
 * idempotency holds whichever replica a retry reaches, every read reflects every acknowledged
 * write (read-your-writes through round robin), presence counts everyone, views are shared.
 */

import { type PgCluster, startPgCluster } from '@lenslet/postgres/testing';
import { ensureBuilt, LiveClient, type ReplicaSet, startReplicaSet } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

let cluster: PgCluster;
let set: ReplicaSet;
/** Each replica's own URL (no balancer). */
let direct: string[];
const clients: LiveClient[] = [];

beforeAll(async () => {
  await ensureBuilt();
  cluster = await startPgCluster();
  await cluster.psql('CREATE DATABASE replicas');
  set = await startReplicaSet({ store: cluster.url('replicas') });
  direct = set.replicas.map((r) => r.url);
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await set?.stop();
  await cluster?.destroy();
});

/** A parsed JSON answer or event, read loosely. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

let keys = 0;
const key = (what: string) => `${what}-${process.pid}-${String(++keys).padStart(5, '0')}`;

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as Json,
    replica: res.headers.get('x-lenslet-replica'),
    seq: Number(res.headers.get('lenslet-seq')),
  };
}

const patch = (base: string, path: string, body: unknown, k = key('patch')) =>
  call(base, 'PATCH', `/item?path=${encodeURIComponent(path)}`, body, { 'idempotency-key': k });

function live(base: string, lastEventId?: number): LiveClient {
  const client = new LiveClient(`${base}/events`, lastEventId === undefined ? {} : { lastEventId });
  clients.push(client);
  return client;
}

describe('three replicas behind HAProxy', () => {
  test('round robin spreads requests over every replica, and all serve the same log', async () => {
    const served = new Set<string | null>();
    for (let i = 0; i < 6; i++) served.add((await call(set.url, 'GET', '/health')).replica);
    expect([...served].sort()).toEqual(['r1', 'r2', 'r3']);
    const ids = await Promise.all(direct.map(async (u) => (await call(u, 'GET', '/health')).body));
    expect(new Set(ids.map((h) => h.labels.log_id)).size).toBe(1);
    expect(ids.every((h) => h.labels.durability === 'fsync' && h.labels.state === 'saved')).toBe(
      true,
    );
  });

  test('a write on one replica reaches every replica’s stream with the same id and data', async () => {
    const streams = direct.map((u) => live(u));
    await Promise.all(streams.map((s) => s.until((c) => c.named('hello').length > 0)));
    const written = await patch(direct[0]!, '/landscape.jpg', { add_tags: ['everywhere'] });
    expect(written.status).toBe(200);
    const seq = written.body.accepted_event.seq as number;
    for (const stream of streams) {
      await stream.until((c) => c.seqs.includes(seq), 5_000, `record ${seq}`);
      const event = stream.named('item-updated').find((e) => e.id === String(seq))!;
      expect(event.data).toMatchObject({ seq, path: '/landscape.jpg', tags: ['everywhere'] });
    }
    const [a, b, c] = streams.map((s) => s.named('item-updated').find((e) => e.id === String(seq)));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  test('a stream resumes on another replica from Last-Event-ID, without gap or duplicate', async () => {
    const first = live(direct[0]!);
    await first.until((c) => c.named('hello').length > 0);
    const before: number[] = [];
    for (let i = 0; i < 5; i++) {
      before.push(
        (await patch(set.url, '/portrait-exif6.jpg', { add_tags: [`a${i}`] })).body.accepted_event
          .seq,
      );
    }
    await first.until((c) => c.seqs.includes(before.at(-1)!));
    await first.close();
    const resumeFrom = first.lastEventId!;
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      after.push(
        (await patch(set.url, '/portrait-exif6.jpg', { add_tags: [`b${i}`] })).body.accepted_event
          .seq,
      );
    }
    // Resumed on the second replica directly, and through the balancer.
    for (const base of [direct[1]!, set.url]) {
      const resumed = live(base, resumeFrom);
      await resumed.until((c) => c.seqs.includes(after.at(-1)!), 5_000, `seq ${after.at(-1)}`);
      const expected = Array.from(
        { length: after.at(-1)! - resumeFrom },
        (_, i) => resumeFrom + 1 + i,
      );
      expect(resumed.seqs).toEqual(expected);
      await resumed.close();
    }
  });

  test('conflicts are per field and idempotency holds, whichever replica each request reaches', async () => {
    const path = '/lossy.webp';
    const one = await patch(direct[0]!, path, { set_star: 3, base_version: 1 });
    expect(one.status).toBe(200);
    // Another field, from the same base version, on another replica: rebased, not refused.
    const notes = await patch(direct[1]!, path, { set_notes: 'ok', base_version: 1 });
    expect(notes.status).toBe(200);
    expect(notes.body.rebased).toBe(true);
    // The same field from the stale base, on the third replica: a conflict naming the field.
    const stale = await patch(direct[2]!, path, { set_star: 1, base_version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'version_conflict', conflicting_fields: ['star'] });
    // One key, three replicas: one record, the same answer each time.
    const k = key('idem');
    const answers = [];
    for (const base of direct) answers.push(await patch(base, path, { add_tags: ['once'] }, k));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.accepted_event.seq)).size).toBe(1);
    const history = await call(set.url, 'GET', `/item/history?path=${path}`);
    expect(history.body.records.filter((r: Json) => r.mutation_id === k)).toHaveLength(1);
    // The same key with another body, on yet another replica: refused.
    const reused = await patch(direct[1]!, path, { add_tags: ['twice'] }, k);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toBe('idempotency_key_reused');
  });

  test('read your writes through round robin: every read shows the write just acknowledged', async () => {
    const path = '/transparent.png';
    let hops = 0;
    for (let i = 0; i < 60; i++) {
      const written = await patch(set.url, path, { set_metrics: { n: i } });
      expect(written.status).toBe(200);
      const version = written.body.sidecar.version;
      const read =
        i % 3 === 0
          ? await call(set.url, 'GET', `/item?path=${path}`)
          : i % 3 === 1
            ? await call(set.url, 'POST', '/folders/query', { path: '/', limit: 100 })
            : await call(set.url, 'GET', `/item/history?path=${path}&limit=1`);
      expect(read.status).toBe(200);
      if (read.replica !== written.replica) hops += 1;
      if (i % 3 === 0) expect(read.body).toMatchObject({ version, metrics: { n: i } });
      if (i % 3 === 1) {
        const item = read.body.items.find((x: Json) => x.path === path);
        expect(item).toMatchObject({ version, metrics: { n: i } });
      }
      if (i % 3 === 2) expect(read.body.records[0]).toMatchObject({ version });
      expect(read.seq).toBeGreaterThanOrEqual(written.body.accepted_event.seq);
    }
    expect(hops, 'reads served by another replica than their write').toBeGreaterThan(30);
  });

  test('presence counts everyone on every replica; a lease works on any replica', async () => {
    const streams = direct.map((u) => live(u));
    const joined = [];
    for (let i = 0; i < 3; i++) {
      const answer = await call(direct[i]!, 'POST', '/presence/join', {
        gallery_id: '/nested',
        client_id: `tab-${i}`,
      });
      expect(answer.status).toBe(200);
      joined.push(answer.body);
    }
    const three = (c: LiveClient) =>
      c
        .named('presence')
        .some((e: Json) => e.data.gallery_id === '/nested' && e.data.viewing === 3);
    for (const stream of streams) await stream.until(three, 5_000, 'presence of 3');
    // A heartbeat with the lease replica 1 issued, sent to replica 3.
    const beat = await call(direct[2]!, 'POST', '/presence/join', {
      gallery_id: '/nested',
      client_id: 'tab-0',
      lease_id: joined[0]!.lease_id,
    });
    expect(beat.body).toMatchObject({ lease_id: joined[0]!.lease_id, viewing: 3 });
    // Leaving on replica 2 is seen everywhere.
    await call(direct[1]!, 'POST', '/presence/leave', {
      gallery_id: '/nested',
      client_id: 'tab-1',
      lease_id: joined[1]!.lease_id,
    });
    const two = (c: LiveClient) =>
      c.named('presence').at(-1) !== undefined &&
      (
        c
          .named('presence')
          .filter((e: Json) => e.data.gallery_id === '/nested')
          .at(-1)!.data as Json
      ).viewing === 2;
    for (const stream of streams) await stream.until(two, 5_000, 'presence of 2');
  });

  test('views are shared: a save on one replica is read and announced on the others', async () => {
    const streams = direct.map((u) => live(u));
    await Promise.all(streams.map((s) => s.until((c) => c.named('hello').length > 0)));
    const view = { id: 'v1', name: 'Keepers', pool: { kind: 'folder', path: '/' }, view: {} };
    const before = (await call(direct[2]!, 'GET', '/views')).body.revision as number;
    const saved = await call(
      direct[0]!,
      'PUT',
      '/views',
      { views: [view] },
      {
        'if-match': `"${before}"`,
      },
    );
    expect(saved.status).toBe(200);
    for (const stream of streams) {
      await stream.until((c) => c.named('views-updated').length > 0);
      expect(stream.named('views-updated').map((e) => e.data)).toEqual([{ revision: before + 1 }]);
    }
    expect((await call(direct[2]!, 'GET', '/views')).body).toMatchObject({
      revision: before + 1,
      views: [view],
    });
    // A save based on the old revision, on another replica: a conflict.
    const stale = await call(
      direct[1]!,
      'PUT',
      '/views',
      { views: [] },
      {
        'if-match': `"${before}"`,
      },
    );
    expect(stale.status).toBe(409);
  });
});
