/** `GET /item` and the writes to one item: `PATCH /item`, `PUT /item` (item-writes.ts). */
import { LensletError } from '@lenslet/core';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { delegateStore, newKey } from '../live-test-kit.ts';
import { labelAppPerTest } from './label-test-kit.ts';

const t = labelAppPerTest();
const { app, patch } = t;

describe('GET /item', () => {
  test('an indexed image without labels: version 1, never updated, ETag and Lenslet-Seq', async () => {
    const res = await request(app()).get('/item?path=/a.jpg').expect(200);
    expect(res.body).toEqual({
      v: 1,
      path: '/a.jpg',
      seq: 0,
      star: null,
      tags: [],
      notes: '',
      metrics: {},
      version: 1,
      updated_at: null,
      updated_by: null,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['lenslet-seq']).toBe('0');
  });

  test('a path neither indexed nor labeled is 404 not_found', async () => {
    const res = await request(app()).get('/item?path=/nope.jpg').expect(404);
    expect(res.body.error).toBe('not_found');
  });

  test('labels of a deleted file stay readable and writable', async () => {
    await patch('/a.jpg', { add_tags: ['keep'] }).expect(200);
    t.gallery.remove('/a.jpg');
    const res = await request(app()).get('/item?path=/a.jpg').expect(200);
    expect(res.body.tags).toEqual(['keep']);
    await patch('/a.jpg', { add_tags: ['still'] }).expect(200);
  });

  test('a traversal path is 400 invalid_path', async () => {
    const res = await request(app()).get('/item?path=/x/../a.jpg').expect(400);
    expect(res.body.error).toBe('invalid_path');
  });
});

describe('PATCH /item', () => {
  test('answers with the durable sidecar, the record seq and how it was saved', async () => {
    const res = await patch(
      '/a.jpg',
      { base_version: 1, set_star: 4, add_tags: ['cat'] },
      'key-first-001',
    )
      .set('X-Lenslet-User', encodeURIComponent('Zoë'))
      .expect(200);
    expect(res.body).toMatchObject({
      sidecar: { path: '/a.jpg', seq: 1, star: 4, tags: ['cat'], version: 2, updated_by: 'Zoë' },
      mutation_id: 'key-first-001',
      accepted_event: { seq: 1 },
      persistence: 'memory',
      rebased: false,
    });
    expect(res.headers.etag).toBe('"2"');
    expect(res.headers['lenslet-seq']).toBe('1');
    expect(t.store.get(res.body.sidecar.path).star).toBe(4);
  });

  test('without X-Lenslet-User the writer is anonymous', async () => {
    const res = await patch('/a.jpg', { add_tags: ['x'] }).expect(200);
    expect(res.body.sidecar.updated_by).toBe('anonymous');
  });

  test('a patch that changes nothing records nothing', async () => {
    await patch('/a.jpg', { add_tags: ['x'] }).expect(200);
    const res = await patch('/a.jpg', { add_tags: ['x'] }).expect(200);
    expect(res.body.accepted_event).toBeNull();
    expect(res.body.sidecar.version).toBe(2);
    expect(t.store.head()).toBe(1);
  });

  test('If-Match works like base_version; both must agree', async () => {
    await patch('/a.jpg', { set_star: 2 }).set('If-Match', '"1"').expect(200);
    const res = await patch('/a.jpg', { base_version: 1, set_notes: 'n' })
      .set('If-Match', 'W/"2"')
      .expect(400);
    expect(res.body.message).toMatch(/disagree/);
    const bad = await patch('/a.jpg', { set_notes: 'n' }).set('If-Match', 'yesterday').expect(400);
    expect(bad.body.message).toMatch(/If-Match/);
  });

  test('per-field conflicts: another field rebases, the same field is 409 with current', async () => {
    await patch('/a.jpg', { base_version: 1, set_star: 3 }).expect(200);
    const other = await patch('/a.jpg', { base_version: 1, set_notes: 'mine' }).expect(200);
    expect(other.body.rebased).toBe(true);
    expect(other.body.sidecar).toMatchObject({ star: 3, notes: 'mine', version: 3 });
    const same = await patch('/a.jpg', { base_version: 1, set_star: 5 }).expect(409);
    expect(same.body).toMatchObject({
      error: 'version_conflict',
      conflicting_fields: ['star'],
      current: { path: '/a.jpg', star: 3, notes: 'mine', version: 3 },
    });
    expect(t.store.get(same.body.current.path).star).toBe(3);
  });

  test('a set_* without any version is 428 precondition_required', async () => {
    const res = await patch('/a.jpg', { set_star: 1 }).expect(428);
    expect(res.body.error).toBe('precondition_required');
    expect(t.store.head()).toBe(0);
  });

  test('a retried key returns the identical answer and records nothing new', async () => {
    const key = newKey('retry');
    const first = await patch(
      '/a.jpg',
      { base_version: 1, set_star: 2, add_tags: ['t'] },
      key,
    ).expect(200);
    await patch('/a.jpg', { add_tags: ['later'] }).expect(200);
    const again = await patch(
      '/a.jpg',
      { add_tags: ['t'], set_star: 2, base_version: 1 },
      key,
    ).expect(200);
    expect(again.body).toEqual(first.body);
    expect(t.store.head()).toBe(2);
  });

  test('the same key for a different request is 422 idempotency_key_reused', async () => {
    const key = newKey('reuse');
    await patch('/a.jpg', { add_tags: ['t'] }, key).expect(200);
    const res = await patch('/a.jpg', { add_tags: ['other'] }, key).expect(422);
    expect(res.body.error).toBe('idempotency_key_reused');
    const elsewhere = await patch('/b.jpg', { add_tags: ['t'] }, key).expect(422);
    expect(elsewhere.body.error).toBe('idempotency_key_reused');
  });

  test('every bad-input class is a 4xx naming the problem and changes nothing', async () => {
    const cases: [request.Test, number, string, RegExp][] = [
      [
        patch('/a.jpg', { add_tags: ['x'] }, null),
        400,
        'invalid_idempotency_key',
        /Idempotency-Key/,
      ],
      [patch('/a.jpg', { add_tags: ['x'] }, 'short'), 400, 'invalid_idempotency_key', /8–128/],
      [patch('/a.jpg', { colour: 'red' }), 400, 'invalid_patch', /"colour"/],
      [patch('/a.jpg', { base_version: 1, set_star: 9 }), 400, 'invalid_patch', /set_star/],
      [patch('/a.jpg', { add_tags: [''] }), 400, 'invalid_patch', /add_tags/],
      [patch('/a.jpg', { set_metrics: { 'bad name': 1 } }), 400, 'invalid_patch', /set_metrics/],
      [
        patch('/a.jpg', { add_tags: ['x'] }).set('X-Lenslet-User', '%E0%A4%A'),
        400,
        'invalid_user',
        /X-Lenslet-User/,
      ],
      [
        patch('/a.jpg', { add_tags: ['x'] }).set('X-Lenslet-User', 'x'.repeat(65)),
        400,
        'invalid_user',
        /1–64/,
      ],
      [
        patch('/a.jpg', { add_tags: ['x'] }).set('X-Lenslet-Client-Id', 'has space'),
        400,
        'invalid_request',
        /X-Lenslet-Client-Id/,
      ],
      [patch('/nope.jpg', { add_tags: ['x'] }), 404, 'not_found', /not in the gallery/],
      [patch('/../etc/passwd', { add_tags: ['x'] }), 400, 'invalid_path', /\.\./],
      [
        request(app())
          .patch('/item?path=/a.jpg')
          .set('Idempotency-Key', newKey())
          .set('Content-Type', 'text/plain')
          .send('add_tags=x'),
        415,
        'unsupported_media_type',
        /application\/json/,
      ],
      [
        request(app())
          .patch('/item?path=/a.jpg')
          .set('Idempotency-Key', newKey())
          .set('Content-Type', 'application/json')
          .send('{"add_tags":'),
        400,
        'invalid_json',
        /JSON/,
      ],
      [patch('/a.jpg', [1, 2]), 400, 'invalid_patch', /object/],
    ];
    for (const [req, status, code, message] of cases) {
      const res = await req;
      expect({ status: res.status, code: res.body.error }).toEqual({ status, code });
      expect(res.body.message).toMatch(message);
    }
    expect(t.store.head()).toBe(0);
  });

  test('a disk failure answers 503 persistence_unavailable, never a false 200', async () => {
    const failing = delegateStore(t.store, {
      apply: async () => {
        throw new LensletError(
          'persistence_unavailable',
          'the label log cannot be written: ENOSPC',
        );
      },
    });
    const broken = t.appOver(failing);
    const res = await request(broken.handler)
      .patch('/item?path=/a.jpg')
      .set('Idempotency-Key', newKey())
      .send({ add_tags: ['x'] });
    await broken.close();
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'persistence_unavailable',
      message: 'the label log cannot be written: ENOSPC',
    });
  });
});

describe('PUT /item', () => {
  test('replaces star, tags and notes without a version (last writer wins)', async () => {
    await patch('/a.jpg', {
      base_version: 1,
      set_star: 1,
      add_tags: ['old'],
      set_notes: 'old',
    }).expect(200);
    const res = await request(app())
      .put('/item?path=/a.jpg')
      .send({ v: 1, star: 5, tags: ['new'], notes: 'new', version: 1, exif: { width: 1 } })
      .expect(200);
    expect(res.body.sidecar).toMatchObject({ star: 5, tags: ['new'], notes: 'new', version: 3 });
    expect(res.body.mutation_id).toMatch(/^put:/);
  });

  test('identical content is a no-op', async () => {
    await request(app())
      .put('/item?path=/a.jpg')
      .send({ star: 2, tags: ['a'], notes: '' })
      .expect(200);
    const res = await request(app())
      .put('/item?path=/a.jpg')
      .send({ star: 2, tags: ['a'], notes: '' })
      .expect(200);
    expect(res.body.accepted_event).toBeNull();
    expect(t.store.head()).toBe(1);
  });

  test('a stale If-Match is 409; a sent Idempotency-Key is honoured', async () => {
    const key = newKey('put');
    const first = await request(app())
      .put('/item?path=/a.jpg')
      .set('Idempotency-Key', key)
      .send({ star: 2, tags: [], notes: '' })
      .expect(200);
    const again = await request(app())
      .put('/item?path=/a.jpg')
      .set('Idempotency-Key', key)
      .send({ star: 2, tags: [], notes: '' })
      .expect(200);
    expect(again.body).toEqual(first.body);
    const stale = await request(app())
      .put('/item?path=/a.jpg')
      .set('If-Match', '"1"')
      .send({ star: 3, tags: [], notes: '' })
      .expect(409);
    expect(stale.body.current.star).toBe(2);
  });

  test('a missing field is 400 naming it (PUT replaces everything)', async () => {
    const res = await request(app())
      .put('/item?path=/a.jpg')
      .send({ star: 2, tags: [] })
      .expect(400);
    expect(res.body.message).toMatch(/notes/);
  });
});
