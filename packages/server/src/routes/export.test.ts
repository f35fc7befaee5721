/** `GET /export` and `POST /export`. */
import request from 'supertest';
import { beforeEach, describe, expect, test } from 'vitest';
import { labelAppPerTest } from './label-test-kit.ts';

const t = labelAppPerTest();
const { app, patch } = t;

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
    t.gallery.remove('/b.jpg');
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

  test('POST /export filters on the engine: label metric ranges, a derived score, text, as_of', async () => {
    const lines = async (body: object) => {
      const res = await request(app())
        .post('/export')
        .send({ format: 'jsonl', ...body })
        .expect(200);
      return res.text
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
    };
    const paths = async (body: object) => (await lines(body)).map((l) => l.path);
    expect(await paths({ filters: { metrics: { score: { min: 0.4 } } } })).toEqual([
      '/cats/c1.jpg',
    ]);
    expect(await paths({ filters: { present: ['score'] } })).toEqual(['/cats/c1.jpg']);
    expect(await paths({ text_query: 'LATER' })).toEqual(['/cats/c2.jpg']);
    expect(await paths({ filters: { has_notes: true }, path: '/cats', recursive: false })).toEqual([
      '/cats/c1.jpg',
    ]);
    const scored = await lines({
      derived: { formula: 'score * 2' },
      filters: { metrics: { '@derived': { min: 0.9 } } },
    });
    expect(scored.map((l) => [l.path, l.fields])).toEqual([['/cats/c1.jpg', { '@derived': 1 }]]);
    // A folder has no table columns: no fields unless asked for.
    const plain = await lines({});
    expect(plain.every((l) => !('fields' in l))).toBe(true);
    // Read from the labels without a filter, or selected by the engine: the same rows.
    expect(await lines({ derived: { formula: '1' }, fields: [] })).toEqual(plain);
    expect(plain.map((l) => [l.path, l.present])).toContainEqual(['/b.jpg', false]);
    const picked = await lines({ fields: ['width', 'score', 'nope'], filters: { star: [3] } });
    expect(picked.map((l) => l.fields)).toEqual([{ width: 10, score: null, nope: null }]);
    // Every image in scope as of seq 1 (only /a.jpg labeled then); unlabeled ones with empty labels.
    const all = await lines({ as_of: 1, labeled_only: false });
    expect(all.map((l) => [l.path, l.star, l.version])).toEqual([
      ['/a.jpg', 3, 2],
      ['/cats/c1.jpg', null, 1],
      ['/cats/c2.jpg', null, 1],
    ]);
  });

  test('bad export parameters are 400 naming them', async () => {
    const sort = await request(app())
      .post('/export')
      .send({ sort: { by: 'star' } })
      .expect(400);
    expect(sort.body.message).toMatch(/sort/);
    const formula = await request(app())
      .post('/export')
      .send({ derived: { formula: 'score +' } })
      .expect(400);
    expect(formula.body.error).toBe('invalid_query');
    const unknown = await request(app()).get('/export?bogus=1').expect(400);
    expect(unknown.body.message).toMatch(/unknown query parameter "bogus"/);
    const flag = await request(app()).get('/export?labeled_only=maybe').expect(400);
    expect(flag.body.message).toMatch(/labeled_only/);
  });
});
