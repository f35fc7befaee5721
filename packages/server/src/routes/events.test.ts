/**
 * The live stream on a real port, read with fetch + eventsource-parser, against every store
 * available (memory always; JSONL once @lenslet/store exports openJsonlStore).
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
  type Json,
  jsonlOpener,
  newKey,
  type Running,
  SseReader,
  startServer,
  storeKinds,
} from '../live-test-kit.ts';

const IMAGES = Array.from({ length: 20 }, (_, i) => `/img${i}.jpg`);
const readers: SseReader[] = [];
const open = async (url: string, headers: Record<string, string> = {}) => {
  const reader = await SseReader.open(url, headers);
  readers.push(reader);
  return reader;
};

async function write(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  return call(`${url}/item?path=${encodeURIComponent(path)}`, 'PATCH', body, {
    'idempotency-key': newKey('sse'),
    ...headers,
  });
}

let tagCounter = 0;

/** `count` writes (each a new record) spread over the images, `concurrency` at a time. */
async function writeMany(url: string, count: number, concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const tag = `t${++tagCounter}`;
        const res = await write(url, IMAGES[i % IMAGES.length]!, { add_tags: [tag] });
        expect(res.status).toBe(200);
        expect(res.body.accepted_event).not.toBeNull();
      }
    }),
  );
}

for (const kind of storeKinds()) {
  describe(`GET /events (${kind.name} store)`, () => {
    let dir: string;
    let store: LabelStore;
    let running: Running;
    let gallery: FakeGallery;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lenslet-events-'));
      store = await kind.open(dir);
      gallery = new FakeGallery(IMAGES);
      running = await startServer({ store, gallery });
    });
    afterEach(async () => {
      for (const reader of readers.splice(0)) reader.close();
      await running.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('answers an event stream that is never cached or buffered, starting with hello', async () => {
      await write(running.url, '/img1.jpg', { add_tags: ['a'] });
      const reader = await open(`${running.url}/events`);
      expect(reader.status).toBe(200);
      expect(reader.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(reader.headers.get('cache-control')).toBe('no-cache');
      expect(reader.headers.get('x-accel-buffering')).toBe('no');
      const hello = await reader.nth('hello');
      expect(hello).toEqual({
        event: 'hello',
        id: undefined,
        data: { seq: 1, log_id: store.log_id },
      });
      expect(reader.events[0]!.event).toBe('hello');
    });

    test("two clients see each other's writes with who, what and the resulting labels", async () => {
      const ana = await open(`${running.url}/events`);
      const bo = await open(`${running.url}/events`);
      await ana.nth('hello');
      await bo.nth('hello');
      const first = await write(
        running.url,
        '/img1.jpg',
        { base_version: 1, set_star: 4 },
        { 'x-lenslet-user': 'ana' },
      );
      expect(first.status).toBe(200);
      const seen = await bo.nth('item-updated');
      expect(seen.id).toBe('1');
      expect(seen.data).toMatchObject({
        seq: 1,
        path: '/img1.jpg',
        star: 4,
        tags: [],
        version: 2,
        updated_by: 'ana',
        changed_fields: ['star'],
        changes: [{ kind: 'star_set', star: 4, from: null }],
        mutation_id: first.body.mutation_id,
      });
      await write(running.url, '/img1.jpg', { add_tags: ['dog'] }, { 'x-lenslet-user': 'bo' });
      const back = await ana.nth('item-updated', 2);
      expect(back.data).toMatchObject({ seq: 2, star: 4, tags: ['dog'], updated_by: 'bo' });
      await bo.until((r) => r.recordSeqs().length === 2);
      expect(ana.recordSeqs()).toEqual([1, 2]);
      expect(bo.recordSeqs()).toEqual([1, 2]);
    });

    test('a metrics-only record travels as metrics-updated', async () => {
      const reader = await open(`${running.url}/events`);
      await reader.nth('hello');
      await call(`${running.url}/item/metrics?path=/img2.jpg`, 'PUT', { metrics: { score: 0.9 } });
      const event = await reader.nth('metrics-updated');
      expect(event.data).toMatchObject({
        path: '/img2.jpg',
        metrics: { score: 0.9 },
        changed_fields: ['metrics'],
      });
      expect(event.id).toBe('1');
    });

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
      const reader = await open(`${running.url}/events?log_id=${store.log_id}`, {
        'last-event-id': '8',
      });
      expect((await reader.nth('resync-required')).data).toEqual({
        reason: 'ahead_of_head',
        seq: 3,
      });
      await reader.until((r) => r.ended);
    });

    test('a point ahead of the head without log_id (the original client) goes live', async () => {
      await writeMany(running.url, 3);
      const reader = await open(`${running.url}/events?last_event_id=47`);
      await reader.nth('hello');
      await writeMany(running.url, 1);
      expect((await reader.nth('item-updated')).id).toBe('4');
      expect(reader.named('resync-required')).toEqual([]);
    });

    test('writes are followed by persistence frames whose watermark reaches the last write, the original’s words beside Lenslet’s', async () => {
      const reader = await open(`${running.url}/events`);
      await reader.nth('hello');
      await writeMany(running.url, 6, 2);
      const covers = (e: { data: Json }) =>
        (e.data.durable_watermark as { event_id: number }).event_id === 6;
      await reader.until((r) => r.named('persistence').some(covers), 5_000, 'a watermark at 6');
      const frames = reader.named('persistence');
      // At most one frame per interval: a burst of writes is not one frame per write.
      expect(frames.length).toBeLessThan(6);
      expect(frames.find(covers)!.data).toMatchObject({
        boot_epoch: store.log_id,
        state: kind.name === 'memory' ? 'disabled' : 'saved',
        enabled: kind.name !== 'memory',
        labels_state: kind.name === 'memory' ? 'memory' : 'saved',
        pending_count: 0,
        error: null,
      });
    });

    test('presence: the current counts on connect, then changes as they happen', async () => {
      const join = await call(`${running.url}/presence/join`, 'POST', {
        gallery_id: '/cats/',
        client_id: 'tab-1',
      });
      expect(join.status).toBe(200);
      expect(join.body).toMatchObject({
        gallery_id: '/cats',
        client_id: 'tab-1',
        viewing: 1,
        editing: 0,
      });
      const reader = await open(`${running.url}/events`);
      expect((await reader.nth('presence')).data).toEqual({
        gallery_id: '/cats',
        viewing: 1,
        editing: 0,
      });
      await call(`${running.url}/presence/join`, 'POST', {
        gallery_id: '/cats',
        client_id: 'tab-2',
      });
      expect((await reader.nth('presence', 2)).data).toEqual({
        gallery_id: '/cats',
        viewing: 2,
        editing: 0,
      });
      // An accepted write carrying the tab's client id turns it to editing.
      const res = await write(
        running.url,
        '/img1.jpg',
        { add_tags: ['x'] },
        { 'x-lenslet-client-id': 'tab-2' },
      );
      expect(res.status).toBe(200);
      expect((await reader.nth('presence', 3)).data).toEqual({
        gallery_id: '/cats',
        viewing: 1,
        editing: 1,
      });
      const left = await call(`${running.url}/presence/leave`, 'POST', {
        gallery_id: '/cats',
        client_id: 'tab-1',
        lease_id: join.body.lease_id,
      });
      expect(left.body).toMatchObject({ removed: true, viewing: 0, editing: 1 });
      expect((await reader.nth('presence', 4)).data).toEqual({
        gallery_id: '/cats',
        viewing: 0,
        editing: 1,
      });
      for (const e of reader.named('presence')) expect(e.id).toBeUndefined();
    });

    test('folder-updated reaches every stream without an id', async () => {
      const reader = await open(`${running.url}/events`);
      await reader.nth('hello');
      gallery.add('/new/x.jpg');
      expect(await reader.nth('folder-updated')).toEqual({
        event: 'folder-updated',
        id: undefined,
        data: { path: '/new', added: 1, removed: 0, changed: 0 },
      });
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

  test('persistence: a status change of the store is broadcast; a failing store says so on connect', async () => {
    const { openMemoryStore } = await import('@lenslet/store');
    const base = openMemoryStore();
    let listener: ((status: StoreStatus) => void) | null = null;
    let state: StoreStatus = { ...base.status(), state: 'saved', durability: 'fsync' };
    const store = delegateStore(base, {
      status: () => state,
      onStatus: (l) => {
        listener = l;
        return () => {
          listener = null;
        };
      },
    });
    running = await startServer({ store, gallery: new FakeGallery(IMAGES) });
    const reader = await open(`${running.url}/events`);
    await reader.nth('hello');
    state = {
      ...state,
      state: 'failing',
      error: 'ENOSPC: no space left on device',
      since: '2026-01-01T00:00:00.000Z',
    };
    listener!(state);
    expect((await reader.nth('persistence')).data).toEqual({
      enabled: true,
      boot_epoch: store.log_id,
      state: 'failed',
      durable_watermark: { boot_epoch: store.log_id, event_id: 0 },
      pending_count: 0,
      pending_bytes: 0,
      max_pending_count: 0,
      max_pending_bytes: 0,
      oldest_pending_age_ms: null,
      error: 'ENOSPC: no space left on device',
      failure_total: 1,
      deadline_breach_total: 0,
      labels_state: 'failing',
      since: '2026-01-01T00:00:00.000Z',
    });
    const late = await open(`${running.url}/events`);
    expect((await late.nth('persistence')).data).toMatchObject({
      labels_state: 'failing',
      state: 'failed',
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
