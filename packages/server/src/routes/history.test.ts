/** `GET /item/history`. */
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { labelAppPerTest } from './label-test-kit.ts';

const t = labelAppPerTest();
const { app, patch } = t;

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
