/** Metrics (`PUT /item/metrics`, `POST /items/metrics`) and `POST /items/patch`. */
import { LensletError } from '@lenslet/core';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { delegateStore, newKey } from '../live-test-kit.ts';
import { labelAppPerTest } from './label-test-kit.ts';

const t = labelAppPerTest();
const { app, patch } = t;

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
    expect(t.store.head()).toBe(0);
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
    expect(t.store.head()).toBe(5);
    expect(t.store.get(retry.body.results[0].path).tags).toEqual(['triaged', 'meanwhile']);
  });

  test('a disk failure answers 503 for the whole batch', async () => {
    const failing = delegateStore(t.store, {
      applyBatch: async () => {
        throw new LensletError('persistence_unavailable', 'the label log cannot be written: EIO');
      },
    });
    const broken = t.appOver(failing);
    const res = await request(broken.handler)
      .post('/items/patch')
      .set('Idempotency-Key', newKey('bulk-eio'))
      .send({ items: [{ path: '/a.jpg' }, { path: '/b.jpg' }], patch: { add_tags: ['x'] } });
    await broken.close();
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('persistence_unavailable');
    expect(t.store.head()).toBe(0);
  });

  test('the same key with another patch is 422 and applies nothing', async () => {
    const key = newKey('bulk-reuse');
    await bulk({ items: [{ path: '/a.jpg' }], patch: { add_tags: ['x'] } }, key).expect(200);
    const res = await bulk({ items: [{ path: '/a.jpg' }], patch: { add_tags: ['y'] } }, key).expect(
      422,
    );
    expect(res.body.error).toBe('idempotency_key_reused');
    expect(t.store.head()).toBe(1);
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
    expect(t.store.head()).toBe(0);
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
