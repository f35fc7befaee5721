import { LensletError } from '@lenslet/core';
import { type LabelStore, openMemoryStore } from '@lenslet/store';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp, type LensletApp } from '../app.ts';
import { DEFAULT_CONFIG } from '../context.ts';
import { delegateStore, FakeGallery, newKey, noThumbnails } from '../live-test-kit.ts';

let lenslet: LensletApp;
let store: LabelStore;
let gallery: FakeGallery;

beforeEach(() => {
  store = openMemoryStore();
  gallery = new FakeGallery(['/a.jpg', '/b.jpg', '/cats/c1.jpg', '/cats/c2.jpg']);
  lenslet = createApp({ store, gallery, thumbnailer: noThumbnails, config: DEFAULT_CONFIG });
});
afterEach(async () => {
  await lenslet.close();
});

// Through `handler`, as `lenslet serve` runs it: PATCH /item takes the fast lane, the rest express.
const app = () => lenslet.handler;
const patch = (path: string, body: unknown, key: string | null = newKey()) => {
  const req = request(app()).patch(`/item?path=${encodeURIComponent(path)}`);
  if (key !== null) req.set('Idempotency-Key', key);
  return req.send(body as object);
};

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
    gallery.remove('/a.jpg');
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
    expect(store.get(res.body.sidecar.path).star).toBe(4);
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
    expect(store.head()).toBe(1);
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
    expect(store.get(same.body.current.path).star).toBe(3);
  });

  test('a set_* without any version is 428 precondition_required', async () => {
    const res = await patch('/a.jpg', { set_star: 1 }).expect(428);
    expect(res.body.error).toBe('precondition_required');
    expect(store.head()).toBe(0);
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
    expect(store.head()).toBe(2);
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
    expect(store.head()).toBe(0);
  });

  test('a disk failure answers 503 persistence_unavailable, never a false 200', async () => {
    const failing = delegateStore(store, {
      apply: async () => {
        throw new LensletError(
          'persistence_unavailable',
          'the label log cannot be written: ENOSPC',
        );
      },
    });
    const broken = createApp({
      store: failing,
      gallery,
      thumbnailer: noThumbnails,
      config: DEFAULT_CONFIG,
    });
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
    expect(store.head()).toBe(1);
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

describe('metrics', () => {
  test('PUT /item/metrics merges, null deletes', async () => {
    await request(app())
      .put('/item/metrics?path=/a.jpg')
      .send({ metrics: { score: 0.5, aesthetic: 3 } })
      .expect(200);
    const res = await request(app())
      .put('/item/metrics?path=/a.jpg')
      .send({ metrics: { score: 0.75, aesthetic: null } })
      .expect(200);
    expect(res.body.sidecar.metrics).toEqual({ score: 0.75 });
  });

  test('POST /items/metrics loads many items in one call', async () => {
    const res = await request(app())
      .post('/items/metrics')
      .send({
        items: [
          { path: '/a.jpg', metrics: { s: 1 } },
          { path: 'cats/c1.jpg', metrics: { s: 2 } },
          { path: '/gone.jpg', metrics: { s: 3 } },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ seq: 2, applied: 2, unchanged: 0, conflicts: 0, failed: 1 });
    expect(
      res.body.results.map((r: { path: string; status: string }) => [r.path, r.status]),
    ).toEqual([
      ['/a.jpg', 'applied'],
      ['/cats/c1.jpg', 'applied'],
      ['/gone.jpg', 'failed'],
    ]);
    expect(res.body.results[2].error.error).toBe('not_found');
  });

  test('more than 10,000 items or a repeated path is refused whole', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      path: `/i${i}.jpg`,
      metrics: { s: 1 },
    }));
    const tooMany = await request(app()).post('/items/metrics').send({ items: many }).expect(400);
    expect(tooMany.body.message).toMatch(/10000|10,000/);
    const repeated = await request(app())
      .post('/items/metrics')
      .send({
        items: [
          { path: '/a.jpg', metrics: { s: 1 } },
          { path: 'a.jpg', metrics: { s: 2 } },
        ],
      })
      .expect(400);
    expect(repeated.body.message).toMatch(/items\.1\.path repeats items\.0\.path/);
    expect(store.head()).toBe(0);
  });
});

describe('POST /items/patch', () => {
  const bulk = (body: unknown, key: string | null = newKey('bulk')) => {
    const req = request(app()).post('/items/patch');
    if (key !== null) req.set('Idempotency-Key', key);
    return req.send(body as object);
  };

  test('each item gets its own record; set_* without base_version is last-writer-wins', async () => {
    await patch('/a.jpg', { base_version: 1, set_star: 1 }).expect(200);
    const res = await bulk({
      items: [{ path: '/a.jpg' }, { path: '/b.jpg' }],
      patch: { set_star: 5, add_tags: ['batch'] },
    }).expect(200);
    expect(res.body).toMatchObject({ seq: 3, applied: 2, unchanged: 0, conflicts: 0, failed: 0 });
    expect(res.body.results[0].sidecar).toMatchObject({ star: 5, version: 3, seq: 2 });
    expect(res.body.results[1].sidecar).toMatchObject({ star: 5, version: 2, seq: 3 });
  });

  test('items with a stale base_version conflict alone; unchanged items are counted', async () => {
    await patch('/a.jpg', { base_version: 1, set_star: 1 }).expect(200);
    await patch('/b.jpg', { base_version: 1, set_star: 5 }).expect(200);
    const res = await bulk({
      items: [
        { path: '/a.jpg', base_version: 1 },
        { path: '/b.jpg', base_version: 2 },
        { path: '/cats/c1.jpg', base_version: 1 },
      ],
      patch: { set_star: 5 },
    }).expect(200);
    expect(res.body).toMatchObject({ applied: 1, unchanged: 1, conflicts: 1, failed: 0 });
    expect(res.body.results[0]).toMatchObject({
      path: '/a.jpg',
      status: 'conflict',
      current: { star: 1 },
      error: { error: 'version_conflict' },
    });
    expect(res.body.results[1]).toMatchObject({ path: '/b.jpg', status: 'unchanged' });
    expect(res.body.results[2]).toMatchObject({ path: '/cats/c1.jpg', status: 'applied' });
  });

  test('a retry of the same key applies only what is missing', async () => {
    const key = newKey('bulk-retry');
    const body = (paths: string[]) => ({
      items: paths.map((path) => ({ path })),
      patch: { add_tags: ['triaged'] },
    });
    // The first attempt got only half-way (as if the server died after these two records).
    await bulk(body(['/a.jpg', '/b.jpg']), key).expect(200);
    await patch('/a.jpg', { add_tags: ['meanwhile'] }).expect(200);
    const retry = await bulk(
      body(['/a.jpg', '/b.jpg', '/cats/c1.jpg', '/cats/c2.jpg']),
      key,
    ).expect(200);
    expect(retry.body).toMatchObject({ applied: 4, unchanged: 0, conflicts: 0, failed: 0, seq: 5 });
    expect(retry.body.results.map((r: { sidecar: { seq: number } }) => r.sidecar.seq)).toEqual([
      1, 2, 4, 5,
    ]);
    expect(store.head()).toBe(5);
    expect(store.get(retry.body.results[0].path).tags).toEqual(['triaged', 'meanwhile']);
  });

  test('a disk failure answers 503 for the whole batch', async () => {
    const failing = delegateStore(store, {
      applyBatch: async () => {
        throw new LensletError('persistence_unavailable', 'the label log cannot be written: EIO');
      },
    });
    const broken = createApp({
      store: failing,
      gallery,
      thumbnailer: noThumbnails,
      config: DEFAULT_CONFIG,
    });
    const res = await request(broken.handler)
      .post('/items/patch')
      .set('Idempotency-Key', newKey('bulk-eio'))
      .send({ items: [{ path: '/a.jpg' }, { path: '/b.jpg' }], patch: { add_tags: ['x'] } });
    await broken.close();
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('persistence_unavailable');
    expect(store.head()).toBe(0);
  });

  test('the same key with another patch is 422 and applies nothing', async () => {
    const key = newKey('bulk-reuse');
    await bulk({ items: [{ path: '/a.jpg' }], patch: { add_tags: ['x'] } }, key).expect(200);
    const res = await bulk({ items: [{ path: '/a.jpg' }], patch: { add_tags: ['y'] } }, key).expect(
      422,
    );
    expect(res.body.error).toBe('idempotency_key_reused');
    expect(store.head()).toBe(1);
  });

  test('bad requests are refused whole', async () => {
    const cases: [request.Test, number, RegExp][] = [
      [
        bulk({ items: [{ path: '/a.jpg' }], patch: { add_tags: ['x'] } }, null),
        400,
        /Idempotency-Key/,
      ],
      [bulk({ items: [], patch: {} }), 400, /items must not be empty/],
      [bulk({ items: [{ path: '/a.jpg', version: 1 }], patch: {} }), 400, /"items\.0\.version"/],
      [
        bulk({ items: [{ path: '/a.jpg' }], patch: { base_version: 1, set_star: 1 } }),
        400,
        /items\[\]\.base_version/,
      ],
      [bulk({ items: [{ path: '/a.jpg' }, { path: '/../x' }], patch: {} }), 400, /items\.1\.path/],
      [bulk({ items: [{ path: '/a.jpg' }], patch: { set_star: 7 } }), 400, /patch\.set_star/],
    ];
    for (const [req, status, message] of cases) {
      const res = await req;
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
    }
    expect(store.head()).toBe(0);
  });

  test('the body limit is 8 MiB for this route only', async () => {
    const long = 'x'.repeat(150);
    const items = Array.from({ length: 10_000 }, (_, i) => ({ path: `/${long}${i}.jpg` }));
    const big = await bulk({ items, patch: { add_tags: ['x'] } }).expect(200);
    expect(big.body.failed).toBe(10_000);
    const huge = Array.from({ length: 10_000 }, (_, i) => ({
      path: `/${'y'.repeat(900)}${i}.jpg`,
    }));
    const tooBig = await bulk({ items: huge, patch: {} }).expect(413);
    expect(tooBig.body.error).toBe('payload_too_large');
    const notes = 'n'.repeat(600_000);
    const single = await patch('/a.jpg', {
      base_version: 1,
      set_notes: notes,
      add_tags: Array.from({ length: 1 }, () => 'x'.repeat(500_000)),
    });
    expect(single.status).toBe(413);
  });
});

describe('GET /item/history', () => {
  test('newest first: who, when, and each change with its previous value', async () => {
    await patch('/a.jpg', { base_version: 1, set_star: 2 })
      .set('X-Lenslet-User', 'ana')
      .expect(200);
    await patch('/a.jpg', { base_version: 2, set_star: 4, add_tags: ['cat'] })
      .set('X-Lenslet-User', 'bo')
      .expect(200);
    await patch('/b.jpg', { add_tags: ['other'] }).expect(200);
    const res = await request(app()).get('/item/history?path=/a.jpg').expect(200);
    expect(res.body).toMatchObject({ path: '/a.jpg', seq: 3, version: 3, next_before: null });
    expect(res.body.records).toMatchObject([
      {
        seq: 2,
        actor: 'bo',
        version: 3,
        changed_fields: ['star', 'tags'],
        changes: [
          { kind: 'star_set', star: 4, from: 2 },
          { kind: 'tags_added', tags: ['cat'] },
        ],
      },
      { seq: 1, actor: 'ana', version: 2, changes: [{ kind: 'star_set', star: 2, from: null }] },
    ]);
    expect(res.body.records[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('limit and before page through the history', async () => {
    for (let i = 0; i < 5; i++) await patch('/a.jpg', { add_tags: [`t${i}`] }).expect(200);
    const first = await request(app()).get('/item/history?path=/a.jpg&limit=2').expect(200);
    expect(first.body.records.map((r: { seq: number }) => r.seq)).toEqual([5, 4]);
    expect(first.body.next_before).toBe(4);
    const second = await request(app())
      .get('/item/history?path=/a.jpg&limit=2&before=4')
      .expect(200);
    expect(second.body.records.map((r: { seq: number }) => r.seq)).toEqual([3, 2]);
    const bad = await request(app()).get('/item/history?path=/a.jpg&limit=0').expect(400);
    expect(bad.body.message).toMatch(/limit/);
  });

  test('an image never labeled has an empty history; an unknown path is 404', async () => {
    const res = await request(app()).get('/item/history?path=/b.jpg').expect(200);
    expect(res.body.records).toEqual([]);
    await request(app()).get('/item/history?path=/nope.jpg').expect(404);
  });
});

describe('export', () => {
  beforeEach(async () => {
    await patch('/a.jpg', { base_version: 1, set_star: 3, add_tags: ['x, "quoted"'] }).expect(200);
    await patch('/cats/c1.jpg', {
      base_version: 1,
      set_notes: 'line 1\nline 2',
      set_metrics: { score: 0.5 },
    }).expect(200);
    await patch('/cats/c2.jpg', { add_tags: ['later'] }).expect(200);
    await patch('/b.jpg', { add_tags: ['gone'] }).expect(200);
    gallery.remove('/b.jpg');
  });

  test('JSON: every labeled item, sorted, with the seq it reflects', async () => {
    const res = await request(app()).get('/export').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['lenslet-seq']).toBe('4');
    const body = JSON.parse(res.text);
    expect(body.seq).toBe(4);
    expect(Object.keys(body.items)).toEqual(['/a.jpg', '/b.jpg', '/cats/c1.jpg', '/cats/c2.jpg']);
  });

  test('as_of gives the labels as they were at that seq', async () => {
    const res = await request(app()).get('/export?as_of=2&format=json').expect(200);
    const body = JSON.parse(res.text);
    expect(body.seq).toBe(2);
    expect(Object.keys(body.items)).toEqual(['/a.jpg', '/cats/c1.jpg']);
    const empty = await request(app()).get('/export?as_of=0').expect(200);
    expect(empty.text).toBe('{"seq":0,"items":{\n}}\n');
    const ahead = await request(app()).get('/export?as_of=99').expect(400);
    expect(ahead.body.message).toMatch(/ahead of the log head 4/);
  });

  test('CSV (RFC 4180) and JSONL carry present:false for a deleted file', async () => {
    const csv = await request(app()).get('/export?format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'path,star,tags,notes,version,updated_at,updated_by,present,metrics.score',
    );
    expect(lines[1]).toMatch(/^\/a\.jpg,3,"\[""x, \\""quoted\\""""\]",,2,/);
    expect(lines[2]).toMatch(/^\/b\.jpg,.*,anonymous,false,$/);
    expect(csv.text).toContain('"line 1\nline 2"');
    const jsonl = await request(app()).get('/export?format=jsonl&path=/cats').expect(200);
    const rows = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.path, r.present])).toEqual([
      ['/cats/c1.jpg', true],
      ['/cats/c2.jpg', true],
    ]);
  });

  test('POST /export takes the query filters', async () => {
    const res = await request(app())
      .post('/export')
      .send({ format: 'jsonl', filters: { star: [3] } })
      .expect(200);
    expect(
      res.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).path),
    ).toEqual(['/a.jpg']);
    const all = await request(app()).post('/export').send({}).expect(200);
    expect(Object.keys(JSON.parse(all.text).items)).toHaveLength(4);
    const bad = await request(app()).post('/export').send({ format: 'xml' }).expect(400);
    expect(bad.body.message).toMatch(/format/);
  });

  test('a bad format or as_of is 400', async () => {
    expect((await request(app()).get('/export?format=xml').expect(400)).body.message).toMatch(
      /json, csv, jsonl/,
    );
    expect((await request(app()).get('/export?as_of=-1').expect(400)).body.message).toMatch(
      /as_of/,
    );
  });
});
