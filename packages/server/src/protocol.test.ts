/**
 * Every answer a route sends and every live event the hub writes parses with its schema from
 * core's protocol, and parsing gives back exactly what was sent (no field the schema does not
 * declare, none it declares missing): the server and the protocol cannot drift apart.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  batchAnswerSchema,
  errorBodySchema,
  folderPathsAnswerSchema,
  foldersAnswerSchema,
  healthAnswerSchema,
  historyAnswerSchema,
  isLiveEventName,
  itemDetailSchema,
  LIVE_EVENTS,
  type MessageSchema,
  presenceJoinAnswerSchema,
  presenceLeaveAnswerSchema,
  presenceMoveAnswerSchema,
  queryAnswerSchema,
  readMessage,
  savedViewsDocumentSchema,
  searchAnswerSchema,
  sidecarSchema,
  tagsAnswerSchema,
  viewsDocumentSchema,
  writeAnswerSchema,
} from '@lenslet/core';
import { openMemoryStore } from '@lenslet/store';
import { afterEach, beforeEach, expect, onTestFinished, test } from 'vitest';
import { createCatalog } from './catalog/catalog.ts';
import { createGalleryPart } from './catalog/gallery-part.ts';
import { createTableGallery } from './catalog/table-gallery.ts';
import { createTablePart } from './catalog/table-part.ts';
import { TableSource } from './catalog/table-source.ts';
import { createFakeGallery, type FakeGallery } from './fake-gallery.ts';
import { call, newKey, type Running, SseReader, startServer } from './live-test-kit.ts';

let running: Running;
let gallery: FakeGallery;
let url: string;
let tableDir: string;
let table: TableSource;

beforeEach(async () => {
  gallery = createFakeGallery([
    { path: '/a.jpg' },
    { path: '/b.png', width: null, height: null },
    { path: '/cats/c.jpg' },
    { path: '/cats/kittens/d.webp' },
  ]);
  running = await startServer({ store: openMemoryStore(), gallery });
  url = running.url;
});

afterEach(async () => {
  await running.stop();
});

/** Serve `gallery` again with a table beside it (dataset mode), so a reload can be observed. */
async function withTable(): Promise<void> {
  tableDir = await mkdtemp(join(tmpdir(), 'lenslet-protocol-table-'));
  await writeFile(join(tableDir, 't.jsonl'), '{"path":"x.png","score":1}\n');
  table = await TableSource.open({
    file: join(tableDir, 't.jsonl'),
    prefix: '/scored' as never,
    root: tableDir,
    check_files: false,
    watch: 'off',
  });
  const catalog = createCatalog([
    createGalleryPart(gallery),
    createTablePart(createTableGallery(table)),
  ]);
  await running.stop();
  running = await startServer({ store: openMemoryStore(), gallery, catalog });
  url = running.url;
  onTestFinished(async () => {
    await table.close();
    await rm(tableDir, { recursive: true, force: true });
  });
}

/** `body` parses with `schema` and parsing returns it unchanged. */
function expectMessage(schema: MessageSchema, body: unknown): void {
  expect(readMessage(schema, body)).toEqual({ ok: true, data: body });
}

async function expectAnswer(
  schema: MessageSchema,
  path: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const answer = await call(`${url}${path}`, method, body, headers);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  expectMessage(schema, answer.body);
  return answer.body;
}

const write = (over: Record<string, string> = {}) => ({ 'Idempotency-Key': newKey(), ...over });

test.each([
  ['local', {}],
  ['remote (behind a proxy)', { 'X-Forwarded-For': '192.0.2.7' }],
])('GET /health answers the protocol, %s', async (_name, headers) => {
  await expectAnswer(healthAnswerSchema, '/health', 'GET', undefined, headers);
});

test('browse answers follow the protocol', async () => {
  await call(
    `${url}/item?path=/a.jpg`,
    'PATCH',
    { set_star: 4, add_tags: ['cat'], base_version: 1 },
    write(),
  );
  await expectAnswer(foldersAnswerSchema, '/folders');
  await expectAnswer(foldersAnswerSchema, '/folders?path=/cats&recursive=true');
  await expectAnswer(foldersAnswerSchema, '/folders?count_only=true');
  await expectAnswer(folderPathsAnswerSchema, '/folders/paths');
  await expectAnswer(searchAnswerSchema, '/search?q=cat');
  await expectAnswer(tagsAnswerSchema, '/tags');
  await expectAnswer(itemDetailSchema, '/item/detail?path=/b.png');
  const query = await expectAnswer(queryAnswerSchema, '/folders/query', 'POST', {
    recursive: true,
    filters: { has_notes: false },
    sort: { by: 'star' },
  });
  expect(query).toMatchObject({ filtered_total: 4, facets: { star: { null: 3, 4: 1 } } });
  await expectAnswer(queryAnswerSchema, '/folders/query', 'POST', { limit: 0 });
});

test('label answers follow the protocol: item, writes, batches, history', async () => {
  await expectAnswer(sidecarSchema, '/item?path=/a.jpg');
  const patched = await expectAnswer(
    writeAnswerSchema,
    '/item?path=/a.jpg',
    'PATCH',
    { set_star: 2, base_version: 1 },
    write(),
  );
  expect(patched).toMatchObject({ accepted_event: { seq: 1 } });
  const noop = await expectAnswer(
    writeAnswerSchema,
    '/item?path=/a.jpg',
    'PATCH',
    { set_star: 2 },
    write({ 'If-Match': '"2"' }),
  );
  expect(noop).toMatchObject({ accepted_event: null });
  await expectAnswer(writeAnswerSchema, '/item?path=/a.jpg', 'PUT', {
    star: 3,
    tags: ['x'],
    notes: 'n',
  });
  await expectAnswer(writeAnswerSchema, '/item/metrics?path=/a.jpg', 'PUT', {
    metrics: { score: 0.5 },
  });
  const batch = await expectAnswer(
    batchAnswerSchema,
    '/items/patch',
    'POST',
    {
      items: [
        { path: '/a.jpg', base_version: 1 },
        { path: '/b.png' },
        { path: '/missing.jpg' },
        { path: '/cats/c.jpg' },
      ],
      patch: { set_star: 1 },
    },
    write(),
  );
  expect(batch).toMatchObject({ applied: 2, conflicts: 1, failed: 1 });
  await expectAnswer(batchAnswerSchema, '/items/metrics', 'POST', {
    items: [{ path: '/b.png', metrics: { score: 1, gone: null } }],
  });
  const history = await expectAnswer(historyAnswerSchema, '/item/history?path=/a.jpg&limit=2');
  expect(history).toMatchObject({ next_before: expect.any(Number) });
  await expectAnswer(historyAnswerSchema, '/item/history?path=/cats/kittens/d.webp');
}, 30_000);

test('refusals are error bodies of the protocol', async () => {
  const refusals = [
    await call(`${url}/item?path=/nope.jpg`, 'GET'),
    await call(`${url}/item?path=/a.jpg`, 'PATCH', { set_star: 9 }, write()),
    await call(`${url}/folders/query`, 'POST', { filters: { stras: [1] } }),
  ];
  await call(`${url}/item?path=/a.jpg`, 'PATCH', { set_star: 1, base_version: 1 }, write());
  refusals.push(
    await call(`${url}/item?path=/a.jpg`, 'PATCH', { set_star: 2, base_version: 1 }, write()),
  );
  for (const refusal of refusals) {
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    expectMessage(errorBodySchema, refusal.body);
  }
  // A conflict carries the current labels as a sidecar.
  expectMessage(sidecarSchema, refusals.at(-1)!.body.current);
});

test('presence and views answers follow the protocol', async () => {
  const joined = (await expectAnswer(presenceJoinAnswerSchema, '/presence/join', 'POST', {
    gallery_id: '/',
    client_id: 'tab-1',
  })) as { lease_id: string };
  const lease = { client_id: 'tab-1', lease_id: joined.lease_id };
  await expectAnswer(presenceMoveAnswerSchema, '/presence/move', 'POST', {
    ...lease,
    from_gallery_id: '/',
    to_gallery_id: '/cats',
  });
  await expectAnswer(presenceLeaveAnswerSchema, '/presence/leave', 'POST', {
    ...lease,
    gallery_id: '/cats',
  });
  await expectAnswer(presenceLeaveAnswerSchema, '/presence/leave', 'POST', {
    ...lease,
    gallery_id: '/cats',
  });
  await expectAnswer(viewsDocumentSchema, '/views');
  const view = { id: 'v1', name: 'best', pool: { kind: 'folder', path: '/' }, view: { q: 's' } };
  await expectAnswer(savedViewsDocumentSchema, '/views', 'PUT', { views: [view] });
  await expectAnswer(savedViewsDocumentSchema, '/views');
});

test('every live event the server writes follows the protocol', async () => {
  await withTable();
  const ahead = await SseReader.open(`${url}/events?last_event_id=99`);
  await ahead.nth('resync-required');
  await call(`${url}/presence/join`, 'POST', { gallery_id: '/', client_id: 'tab-1' });
  const live = await SseReader.open(`${url}/events`);
  await live.nth('hello');
  await call(`${url}/item?path=/a.jpg`, 'PATCH', { add_tags: ['cat'] }, write());
  await call(`${url}/item/metrics?path=/a.jpg`, 'PUT', { metrics: { score: 1 } });
  await call(`${url}/views`, 'PUT', { views: [] });
  gallery.put({ path: '/cats/new.jpg' });
  gallery.emit({ path: '/cats' as never, added: 1, removed: 0, changed: 0 });
  await writeFile(join(tableDir, 't.jsonl'), '{"path":"x.png","score":2}\n');
  await table.reload();
  for (const name of [
    'item-updated',
    'metrics-updated',
    'views-updated',
    'folder-updated',
    'table-updated',
  ]) {
    await live.nth(name);
  }
  const replayed = await SseReader.open(`${url}/events?last_event_id=0`);
  await replayed.nth('metrics-updated');
  const events = [...ahead.events, ...live.events, ...replayed.events];
  const names = new Set(events.map((e) => e.event));
  expect([...names].sort()).toEqual(Object.keys(LIVE_EVENTS).sort());
  for (const event of events) {
    expect(isLiveEventName(event.event), event.event).toBe(true);
    if (isLiveEventName(event.event)) expectMessage(LIVE_EVENTS[event.event], event.data);
  }
  for (const reader of [ahead, live, replayed]) reader.close();
});
