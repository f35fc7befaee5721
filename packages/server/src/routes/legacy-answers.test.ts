import type { CanonicalPath } from '@lenslet/core';
import { openMemoryStore } from '@lenslet/store';
import request from 'supertest';
import { afterEach, expect, test } from 'vitest';
import { createApp, type LensletApp } from '../app.ts';
import { DEFAULT_CONFIG } from '../context.ts';
import { FakeGallery, noThumbnails } from '../live-test-kit.ts';

const STORED = {
  sidecar: { v: 1, tags: ['x'], notes: '', star: 4, version: 2, updated_by: 'session:1a2b3c4d' },
  mutation_id: 'patch:tab:0001-original',
  accepted_event: { boot_epoch: 'e', event_id: 41 },
  persistence: 'saved',
  durable_watermark: { boot_epoch: 'e', event_id: 41 },
};

let lenslet: LensletApp | null = null;
afterEach(async () => {
  await lenslet?.close();
  lenslet = null;
});

function open() {
  const store = openMemoryStore();
  lenslet = createApp({
    store,
    gallery: new FakeGallery(['/a.jpg']),
    thumbnailer: noThumbnails,
    config: DEFAULT_CONFIG,
    legacy_answers: new Map([[STORED.mutation_id, { status: 200, body: STORED }]]),
  });
  return { store, app: lenslet.handler };
}

test('a PATCH retried with a key the original answered gets its stored answer and applies nothing', async () => {
  const { store, app } = open();
  const retry = await request(app)
    .patch('/item?path=/a.jpg')
    .set('Idempotency-Key', STORED.mutation_id)
    .send({ set_star: 4, base_version: 1 });
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(STORED);
  expect(store.head()).toBe(0);
  expect(store.get('/a.jpg' as CanonicalPath).star).toBeNull();
});

test('other keys and other write routes are decided as usual', async () => {
  const { store, app } = open();
  const fresh = await request(app)
    .patch('/item?path=/a.jpg')
    .set('Idempotency-Key', 'patch:tab:0002-new')
    .send({ set_star: 4, base_version: 1 });
  expect(fresh.status).toBe(200);
  expect(fresh.body).toMatchObject({
    mutation_id: 'patch:tab:0002-new',
    accepted_event: { event_id: 1 },
  });
  const put = await request(app)
    .put('/item?path=/a.jpg')
    .set('Idempotency-Key', STORED.mutation_id)
    .send({ star: 2, tags: [], notes: '' });
  expect(put.status).toBe(200);
  expect(store.head()).toBe(2);
});
