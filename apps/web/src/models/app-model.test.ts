import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createMemoryOutbox } from '../outbox.ts';
import {
  createFakeFeed,
  createRouteFetch,
  type FakeRequest,
  healthAnswer,
  itemUpdate,
} from '../test-support.ts';
import { createAppModel } from './app-model.ts';
import { handleKey } from './keys.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const item = (i: number, over: Record<string, unknown> = {}) => ({
  path: `/img${i}.jpg`,
  name: `img${i}.jpg`,
  mime: 'image/jpeg',
  width: 40,
  height: 30,
  size: 100,
  added_at: '2026-01-01T00:00:00.000Z',
  thumb_url: `/thumb?path=/img${i}.jpg&v=1`,
  star: null,
  tags: [],
  notes: '',
  version: 1,
  updated_at: null,
  updated_by: null,
  metrics: {},
  ...over,
});

function setup(total = 3, routes: Record<string, (req: FakeRequest) => unknown> = {}) {
  const state = { seq: 10, versions: new Map<string, number>(), queries: 0 };
  const sidecar = (path: string, over: Record<string, unknown> = {}) => ({
    v: 1,
    path,
    seq: state.seq,
    star: null,
    tags: [],
    notes: '',
    metrics: {},
    version: state.versions.get(path) ?? 1,
    updated_at: null,
    updated_by: null,
    ...over,
  });
  const server = createRouteFetch({
    'GET /health': () => healthAnswer({ log_id: 'LOG' }),
    'POST /folders/query': (req: FakeRequest) => {
      state.queries += 1;
      const b = req.body as { path: string; offset: number; limit: number };
      const items = Array.from(
        { length: Math.max(0, Math.min(b.limit, total - b.offset)) },
        (_, k) => item(b.offset + k),
      );
      return {
        path: b.path,
        seq: state.seq,
        items,
        total,
        filtered_total: total,
        offset: b.offset,
        limit: b.limit,
        facets: { star: { null: total, 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
      };
    },
    'GET /folders': () => ({
      path: '/',
      seq: 10,
      items: [],
      folders: [],
      total_items: total,
      offset: 0,
      limit: 1000,
    }),
    'GET /tags': () => ({ path: '/', seq: 10, tags: [] }),
    'GET /folders/fields': () => ({
      path: '/',
      seq: 10,
      generation: 0,
      scope_total: total,
      fields: [],
      version: 1,
      generated_at: '2026-01-01T00:00:00.000Z',
      metric_keys: [],
      categorical_keys: [],
      field_capabilities: {},
    }),
    'GET /item/detail': (req) => ({
      ...item(Number(req.query.get('path')!.replace(/\D/g, ''))),
      seq: state.seq,
      folder: '/',
      modified_at: '2026-01-01T00:00:00.000Z',
      file_url: `/file?path=${req.query.get('path')}`,
      field_versions: { star: 0, notes: 0, tags: 0 },
      fields: {},
    }),
    'GET /views': () => ({ version: 1, revision: 0, views: [] }),
    'POST /presence/join': (req) => ({
      ...(req.body as object),
      lease_id: 'L',
      viewing: 1,
      editing: 0,
    }),
    'GET /item/history': (req) => ({
      path: req.query.get('path'),
      seq: state.seq,
      version: 1,
      records: [],
      next_before: null,
    }),
    'PATCH /item': (req) => {
      const path = req.query.get('path')!;
      const body = req.body as Record<string, unknown>;
      const version = (state.versions.get(path) ?? 1) + 1;
      state.versions.set(path, version);
      state.seq += 1;
      return {
        sidecar: sidecar(path, { star: body.set_star ?? null }),
        mutation_id: req.headers['Idempotency-Key'],
        accepted_event: { seq: state.seq, boot_epoch: 'e0', event_id: state.seq },
        persistence: 'saved',
        durable_watermark: { boot_epoch: 'e0', event_id: state.seq },
        rebased: false,
      };
    },
    ...routes,
  });
  const feed = createFakeFeed();
  const urls: string[] = [];
  const logged: unknown[][] = [];
  const app = createAppModel({
    clientId: 'tab-1',
    fetch: server.fetch,
    storage: new Map<string, string>() as unknown as Storage,
    locks: null,
    outbox: createMemoryOutbox(),
    openFeed: () => feed,
    search: '',
    setUrl: (s) => urls.push(s),
    download: () => {},
    log: { error: (...args) => void logged.push(args), warn: () => {} },
  });
  (app.identity as { set(n: string): boolean }).set('me');
  return { app, feed, server, state, urls, logged };
}

// A Map is enough of a Storage for the model.
Map.prototype.getItem ??= function (this: Map<string, string>, k: string) {
  return this.get(k) ?? null;
};
Map.prototype.setItem ??= function (this: Map<string, string>, k: string, v: string) {
  this.set(k, v);
};
declare global {
  interface Map<K, V> {
    getItem?(k: K): V | null;
    setItem?(k: K, v: V): void;
  }
}

const key = (k: string, ctrl = false) => ({
  key: k,
  ctrl,
  shift: false,
  alt: false,
  typing: false,
});

test('start loads the view and joins the stream at the listing seq', async () => {
  const { app, feed } = setup();
  await app.start();
  expect(app.listing.total.value).toBe(3);
  expect(feed.calls.start).toEqual([10]);
  expect(app.selection.focus.value).toBe('/img0.jpg');
});

test('a key rates the focused item through PATCH with the user and the version seen', async () => {
  const { app, feed, server } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  expect(handleKey(app, key('4'))).toBe(true);
  expect(app.shown(app.selection.focus.value!)!.star).toBe(4);
  await vi.advanceTimersByTimeAsync(0);
  const patch = server.requests.find((r) => r.method === 'PATCH')!;
  expect(patch.body).toEqual({ set_star: 4, base_version: 1 });
  expect(patch.headers['X-Lenslet-User']).toBe('me');
  expect(patch.headers['X-Lenslet-Client-Id']).toBe('tab-1');
  expect(app.writer.status.value).toBe('saved');
});

test("someone else's update applies by version, flashes the card and fills the banner", async () => {
  const { app, feed } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  feed.emit({
    kind: 'item',
    data: itemUpdate({ seq: 11, path: '/img1.jpg' as never, version: 2, updated_by: 'ana' }),
  });
  const entry = app.items.get('/img1.jpg' as never)!;
  expect(entry.labels.value).toMatchObject({ star: 3, version: 2, updated_by: 'ana' });
  expect(entry.flash.value).toBeGreaterThan(0);
  expect(app.activity.banner.value?.text).toBe('ana changed 1 item here');
  // The same update again (another tab relayed it late) changes nothing.
  entry.flash.value = 0;
  feed.emit({
    kind: 'item',
    data: itemUpdate({ seq: 11, path: '/img1.jpg' as never, version: 2 }),
  });
  expect(entry.flash.value).toBe(0);
});

test('our own echo does not flash or count as activity', async () => {
  const { app, feed, server } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  app.rate(2);
  await vi.advanceTimersByTimeAsync(0);
  const key = server.requests.find((r) => r.method === 'PATCH')!.headers['Idempotency-Key']!;
  feed.emit({
    kind: 'item',
    data: itemUpdate({
      seq: 11,
      path: '/img0.jpg' as never,
      version: 2,
      star: 2,
      mutation_id: key,
    }),
  });
  expect(app.items.get('/img0.jpg' as never)!.flash.value).toBe(0);
  expect(app.activity.banner.value).toBeNull();
});

test('undo sends the exact inverse of our record, expecting its version', async () => {
  const { app, feed, server } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  handleKey(app, key('5'));
  await vi.advanceTimersByTimeAsync(0);
  const first = server.requests.find((r) => r.method === 'PATCH')!;
  feed.emit({
    kind: 'item',
    data: itemUpdate({
      seq: 11,
      path: '/img0.jpg' as never,
      version: 2,
      star: 5,
      mutation_id: first.headers['Idempotency-Key']!,
      changes: [{ kind: 'star_set', star: 5, from: null }],
    }),
  });
  handleKey(app, key('z', true));
  await vi.advanceTimersByTimeAsync(0);
  const patches = server.requests.filter((r) => r.method === 'PATCH');
  expect(patches).toHaveLength(2);
  expect(patches[1]!.body).toEqual({ set_star: null, base_version: 2 });
});

test('a hello from another log refetches everything and moves the stream cursor', async () => {
  const { app, feed, state } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  const before = state.queries;
  state.seq = 3;
  feed.emit({ kind: 'hello', data: { seq: 3, log_id: 'OTHER' } });
  await vi.advanceTimersByTimeAsync(0);
  expect(state.queries).toBe(before + 1);
  expect(feed.calls.reset).toEqual([3]);
  feed.emit({ kind: 'resync', data: { reason: 'too_far_behind', seq: 3 } });
  await vi.advanceTimersByTimeAsync(0);
  expect(state.queries).toBe(before + 2);
});

test('the view lives in the URL', async () => {
  const { app, urls } = setup();
  await app.start();
  app.navigate({ stars: [4, 5], sort: 'star', dir: 'desc' });
  await vi.advanceTimersByTimeAsync(100);
  expect(urls.at(-1)).toContain('stars=4,5');
  expect(urls.at(-1)).toContain('sort=star');
});

test('an error the app catches is shown until dismissed, with the details in the log', async () => {
  const { app, logged } = setup(3, {
    'GET /tags': () => [500, { error: 'internal', message: 'tag index broke' }],
  });
  await app.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(app.errors.notices.value.map((n) => n.text)).toEqual([
    'Loading the tag suggestions failed: tag index broke',
  ]);
  expect(logged).toHaveLength(1);
  app.errors.dismiss(app.errors.notices.value[0]!.id);
  expect(app.errors.notices.value).toEqual([]);
});

test('dispose stops every timer, effect and subscription of every model', async () => {
  const { app, feed, urls } = setup();
  await app.start();
  feed.emit({ kind: 'hello', data: { seq: 10, log_id: 'LOG' } });
  feed.status({ state: 'reconnecting', failures: 5, leader: true });
  app.drafts.set(app.selection.focus.value!, 'typing');
  app.ui.say('hi');
  app.navigate({ q: 'cat' });
  expect(vi.getTimerCount()).toBeGreaterThan(0);
  app.dispose();
  expect(vi.getTimerCount()).toBe(0);
  const written = urls.length;
  app.selection.focusPath('/img2.jpg' as never);
  feed.emit({ kind: 'views', data: { revision: 1 } });
  await vi.advanceTimersByTimeAsync(60_000);
  expect(urls).toHaveLength(written);
});
