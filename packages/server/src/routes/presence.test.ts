import { openMemoryStore } from '@lenslet/store';
import request from 'supertest';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createApp, type LensletApp } from '../app.ts';
import { DEFAULT_CONFIG } from '../context.ts';
import { FakeGallery, noThumbnails } from '../live-test-kit.ts';

let lenslet: LensletApp;
beforeEach(() => {
  lenslet = createApp({
    store: openMemoryStore(),
    gallery: new FakeGallery(['/a.jpg']),
    thumbnailer: noThumbnails,
    config: DEFAULT_CONFIG,
    live: { presence: { max_sessions: 3 } },
  });
});
afterEach(async () => {
  await lenslet.close();
});

const post = (route: string, body: unknown) =>
  request(lenslet.app)
    .post(`/presence/${route}`)
    .send(body as object);

test('join, heartbeat, move and leave with the bodies of the original', async () => {
  const joined = await post('join', { gallery_id: 'animals', client_id: 'tab-1' }).expect(200);
  expect(joined.body).toEqual({
    gallery_id: '/animals',
    client_id: 'tab-1',
    lease_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    viewing: 1,
    editing: 0,
  });
  const lease_id = joined.body.lease_id;
  const beat = await post('join', { gallery_id: '/animals', client_id: 'tab-1', lease_id }).expect(
    200,
  );
  expect(beat.body.lease_id).toBe(lease_id);
  const moved = await post('move', {
    from_gallery_id: '/animals',
    to_gallery_id: '/birds',
    client_id: 'tab-1',
    lease_id,
  }).expect(200);
  expect(moved.body).toEqual({
    client_id: 'tab-1',
    lease_id,
    from_scope: { gallery_id: '/animals', viewing: 0, editing: 0 },
    to_scope: { gallery_id: '/birds', viewing: 1, editing: 0 },
  });
  const left = await post('leave', { gallery_id: '/birds', client_id: 'tab-1', lease_id }).expect(
    200,
  );
  expect(left.body).toEqual({
    gallery_id: '/birds',
    client_id: 'tab-1',
    lease_id,
    viewing: 0,
    editing: 0,
    removed: true,
  });
  const again = await post('leave', { gallery_id: '/birds', client_id: 'tab-1', lease_id }).expect(
    200,
  );
  expect(again.body.removed).toBe(false);
});

test('409 invalid_lease and scope_mismatch carry the ids involved', async () => {
  const { lease_id } = (await post('join', { gallery_id: '/a', client_id: 'tab-1' })).body;
  const wrong = await post('join', {
    gallery_id: '/a',
    client_id: 'tab-1',
    lease_id: 'not-the-lease',
  }).expect(409);
  expect(wrong.body).toMatchObject({
    error: 'invalid_lease',
    gallery_id: '/a',
    client_id: 'tab-1',
  });
  const scope = await post('leave', { gallery_id: '/b', client_id: 'tab-1', lease_id }).expect(409);
  expect(scope.body).toMatchObject({
    error: 'scope_mismatch',
    requested_gallery_id: '/b',
    actual_gallery_id: '/a',
    client_id: 'tab-1',
  });
});

test('without client_id, the browser session is the client (the original client sends none)', async () => {
  const session = 'fedcba9876543210fedcba9876543210';
  const cookie = `lenslet_session=${session}`;
  const joined = await request(lenslet.app)
    .post('/presence/join')
    .set('Cookie', cookie)
    .send({ gallery_id: '/a' })
    .expect(200);
  expect(joined.body).toMatchObject({ gallery_id: '/a', client_id: session, viewing: 1 });
  expect(joined.headers['set-cookie']).toBeUndefined();
  // Another tab of the same browser is the same viewer: its own lease is refused.
  await request(lenslet.app)
    .post('/presence/join')
    .set('Cookie', cookie)
    .send({ gallery_id: '/a', lease_id: 'another-lease' })
    .expect(409);
  const left = await request(lenslet.app)
    .post('/presence/leave')
    .set('Cookie', cookie)
    .send({ gallery_id: '/a', lease_id: joined.body.lease_id })
    .expect(200);
  expect(left.body).toMatchObject({ client_id: session, removed: true, viewing: 0 });
  // A browser without a session gets one with the answer, and counts by it.
  const fresh = await post('join', { gallery_id: '/a' }).expect(200);
  const setCookie = String(fresh.headers['set-cookie']);
  expect(setCookie).toContain(`lenslet_session=${fresh.body.client_id};`);
});

test('bad bodies are 400 naming the field', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['join', { gallery_id: '/a', client_id: '' }, /client_id/],
    ['join', { gallery_id: '/a', client_id: 'has space' }, /client_id/],
    ['join', { gallery_id: '/../x', client_id: 'c' }, /gallery_id/],
    ['join', { gallery_id: '/a', client_id: 'c', extra: 1 }, /"extra"/],
    ['move', { from_gallery_id: '/a', to_gallery_id: '/b', client_id: 'c' }, /lease_id/],
    ['leave', { gallery_id: 5, client_id: 'c', lease_id: 'l' }, /gallery_id/],
  ];
  for (const [route, body, message] of cases) {
    const res = await post(route, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  }
});

test('a flood of new clients beyond the session cap is 429 rate_limited', async () => {
  for (let i = 0; i < 3; i++)
    await post('join', { gallery_id: '/a', client_id: `c${i}` }).expect(200);
  const res = await post('join', { gallery_id: '/a', client_id: 'c-extra' }).expect(429);
  expect(res.body.error).toBe('rate_limited');
});

test('diagnostics report the TTLs, the counts and the stream counters', async () => {
  await post('join', { gallery_id: '/a', client_id: 'c1' }).expect(200);
  const res = await request(lenslet.app).get('/presence/diagnostics').expect(200);
  expect(res.body).toMatchObject({
    view_ttl_seconds: 75,
    edit_ttl_seconds: 30,
    prune_interval_seconds: 5,
    active_clients: 1,
    active_scopes: 1,
    connected_sse_clients: 0,
    scopes: [{ gallery_id: '/a', viewing: 1, editing: 0 }],
  });
});
