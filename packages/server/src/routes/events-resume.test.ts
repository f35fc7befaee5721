/**
 * Resuming the live stream on a real port (fetch + eventsource-parser), against every store
 * available: replay from a listing's seq or a Last-Event-ID with no gap and no duplicate, every
 * resync reason, a bad resume point, and a resume across a server restart (JSONL).
 * What a stream carries: events-live.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelStore, StoreStatus } from '@lenslet/store';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  call,
  delegateStore,
  FakeGallery,
  jsonlOpener,
  type Running,
  startServer,
  storeKinds,
} from '../live-test-kit.ts';
import {
  type EventsServer,
  IMAGES,
  open,
  readers,
  startEventsServer,
  stopEventsServer,
  write,
  writeMany,
} from './events-test-kit.ts';

for (const kind of storeKinds()) {
  describe(`GET /events (${kind.name} store)`, () => {
    let server: EventsServer;
    let store: LabelStore;
    let running: Running;

    beforeEach(async () => {
      server = await startEventsServer(kind);
      ({ store, running } = server);
    });
    afterEach(() => stopEventsServer(server));

    test("a listing's seq plus resume gives every later record, no gap, no duplicate", async () => {
      await writeMany(running.url, 30);
      const listing = await call(`${running.url}/item?path=/img3.jpg`, 'GET');
      const seq = Number(listing.headers.get('lenslet-seq'));
      expect(seq).toBe(30);
      // Writes land between the listing and the stream, and while it connects.
      await writeMany(running.url, 20);
      const during = writeMany(running.url, 40, 8);
      const reader = await open(
        `${running.url}/events?last_event_id=${seq}&log_id=${store.log_id}`,
      );
      await during;
      await reader.until((r) => r.recordSeqs().length >= 60, 10_000, '60 records');
      expect(reader.recordSeqs()).toEqual(Array.from({ length: 60 }, (_, i) => seq + 1 + i));
      expect(reader.events.findIndex((e) => e.event === 'hello')).toBe(0);
    });

    test('a client that missed 1,000 events gets exactly those on reconnect, then live ones', async () => {
      const reader = await open(`${running.url}/events`);
      await reader.nth('hello');
      await writeMany(running.url, 5);
      await reader.until((r) => r.recordSeqs().length === 5);
      reader.close();
      const last = reader.recordSeqs().at(-1)!;
      await writeMany(running.url, 1_000, 32);
      const again = await open(`${running.url}/events`, { 'last-event-id': String(last) });
      await again.until((r) => r.recordSeqs().length === 1_000, 15_000, '1,000 replayed records');
      await write(running.url, '/img0.jpg', { add_tags: ['live'] });
      await again.until((r) => r.recordSeqs().length === 1_001);
      expect(again.recordSeqs()).toEqual(Array.from({ length: 1_001 }, (_, i) => last + 1 + i));
      expect((again.events[0]!.data as { seq: number }).seq).toBe(1_005);
    });

    test('Last-Event-ID wins over ?last_event_id=', async () => {
      await writeMany(running.url, 10);
      const reader = await open(`${running.url}/events?last_event_id=2`, { 'last-event-id': '7' });
      await reader.until((r) => r.recordSeqs().length === 3);
      expect(reader.recordSeqs()).toEqual([8, 9, 10]);
    });

    test('resync-required log_replaced: another log id, then the stream ends', async () => {
      await writeMany(running.url, 3);
      const reader = await open(`${running.url}/events?last_event_id=2&log_id=some-other-log`);
      const resync = await reader.nth('resync-required');
      expect(resync).toEqual({
        event: 'resync-required',
        id: undefined,
        data: { reason: 'log_replaced', seq: 3 },
      });
      await reader.until((r) => r.ended);
      expect(reader.names()).toEqual(['hello', 'resync-required']);
    });

    test('resync-required ahead_of_head: a resume point this log does not have', async () => {
      await writeMany(running.url, 3);
      const reader = await open(`${running.url}/events`, { 'last-event-id': '8' });
      expect((await reader.nth('resync-required')).data).toEqual({
        reason: 'ahead_of_head',
        seq: 3,
      });
      await reader.until((r) => r.ended);
    });
  });
}

describe('GET /events: resync reasons that need a particular log', () => {
  let running: Running | undefined;
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await running?.stop();
    running = undefined;
  });

  test('too_far_behind: a gap beyond the replay limit asks for a refetch', async () => {
    const { openMemoryStore } = await import('@lenslet/store');
    running = await startServer({
      store: openMemoryStore(),
      gallery: new FakeGallery(IMAGES),
      live: { sse: { max_replay_records: 10 } },
    });
    await writeMany(running.url, 15);
    const near = await open(`${running.url}/events`, { 'last-event-id': '5' });
    await near.until((r) => r.recordSeqs().length === 10);
    const far = await open(`${running.url}/events`, { 'last-event-id': '4' });
    expect((await far.nth('resync-required')).data).toEqual({ reason: 'too_far_behind', seq: 15 });
  });

  test('history_unavailable: records before the oldest kept seq', async () => {
    const { openMemoryStore } = await import('@lenslet/store');
    const base = openMemoryStore();
    const store = delegateStore(base, {
      status: (): StoreStatus => ({ ...base.status(), oldest_seq: 6 }),
    });
    running = await startServer({ store, gallery: new FakeGallery(IMAGES) });
    await writeMany(running.url, 8);
    const ok = await open(`${running.url}/events`, { 'last-event-id': '5' });
    await ok.until((r) => r.recordSeqs().length === 3);
    const gone = await open(`${running.url}/events`, { 'last-event-id': '4' });
    expect((await gone.nth('resync-required')).data).toEqual({
      reason: 'history_unavailable',
      seq: 8,
    });
  });

  test('a bad resume point is 400 naming it', async () => {
    const { openMemoryStore } = await import('@lenslet/store');
    running = await startServer({ store: openMemoryStore() });
    const res = await call(`${running.url}/events?last_event_id=abc`, 'GET');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/last_event_id/);
  });
});

describe.runIf(jsonlOpener() !== null)('GET /events across a restart (JSONL store)', () => {
  let dir: string;
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('resume after the server restarts on the same workspace: same log id, no gap', async () => {
    const openJsonl = jsonlOpener()!;
    dir = await mkdtemp(join(tmpdir(), 'lenslet-restart-'));
    let store = await openJsonl(dir);
    let running = await startServer({ store, gallery: new FakeGallery(IMAGES) });
    const logId = store.log_id;
    const reader = await open(`${running.url}/events`);
    await reader.nth('hello');
    await writeMany(running.url, 10);
    await reader.until((r) => r.recordSeqs().length === 10);
    reader.close();
    const retried = { 'idempotency-key': 'restart-key-0001' };
    const before = await write(running.url, '/img1.jpg', { add_tags: ['before-restart'] }, retried);
    await running.stop();
    await store.close();

    store = await openJsonl(dir);
    running = await startServer({ store, gallery: new FakeGallery(IMAGES) });
    try {
      expect(store.log_id).toBe(logId);
      // Idempotency survives the restart: the same answer, nothing recorded.
      const again = await write(
        running.url,
        '/img1.jpg',
        { add_tags: ['before-restart'] },
        retried,
      );
      // Headers differ (Date); the answer itself must not.
      expect({ status: again.status, body: again.body }).toEqual({
        status: before.status,
        body: before.body,
      });
      await writeMany(running.url, 5);
      const resumed = await open(`${running.url}/events?log_id=${logId}`, {
        'last-event-id': '10',
      });
      await resumed.until((r) => r.recordSeqs().length === 6);
      expect(resumed.recordSeqs()).toEqual([11, 12, 13, 14, 15, 16]);
    } finally {
      await running.stop();
      await store.close();
    }
  });
});
