/**
 * The live stream on a real port, read with fetch + eventsource-parser, against every store
 * available: what a stream carries (hello, records, presence, folder and persistence events).
 * Resuming, replay and resync: events-resume.test.ts.
 */
import type { LabelStore, StoreStatus } from '@lenslet/store';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  call,
  delegateStore,
  FakeGallery,
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
} from './events-test-kit.ts';

for (const kind of storeKinds()) {
  describe(`GET /events (${kind.name} store)`, () => {
    let server: EventsServer;
    let store: LabelStore;
    let running: Running;
    let gallery: FakeGallery;

    beforeEach(async () => {
      server = await startEventsServer(kind);
      ({ store, running, gallery } = server);
    });
    afterEach(() => stopEventsServer(server));

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

describe('GET /events: the store status', () => {
  let running: Running | undefined;
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await running?.stop();
    running = undefined;
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
      state: 'failing',
      error: 'ENOSPC: no space left on device',
      since: '2026-01-01T00:00:00.000Z',
    });
    const late = await open(`${running.url}/events`);
    expect((await late.nth('persistence')).data).toMatchObject({ state: 'failing' });
  });
});
