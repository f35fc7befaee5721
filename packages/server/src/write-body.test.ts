import express from 'express';
import request from 'supertest';
import { expect, test } from 'vitest';
import { errorHandler } from './errors.ts';
import { writeBody } from './write-body.ts';

const app = express();
app.post('/echo', writeBody(64), (req, res) => {
  res.json({ body: req.body ?? null });
});
app.use(errorHandler());

test('a JSON object or array is parsed', async () => {
  expect((await request(app).post('/echo').send({ a: 'é' }).expect(200)).body).toEqual({
    body: { a: 'é' },
  });
  const res = await request(app)
    .post('/echo')
    .set('content-type', 'application/json; charset=UTF-8')
    .send('[1]');
  expect(res.body).toEqual({ body: [1] });
});

test('no body leaves the body undefined', async () => {
  expect((await request(app).post('/echo').expect(200)).body).toEqual({ body: null });
});

test('another media type or charset is 415', async () => {
  const text = await request(app).post('/echo').set('content-type', 'text/plain').send('{}');
  expect(text.status).toBe(415);
  expect(text.body.error).toBe('unsupported_media_type');
  const latin = await request(app)
    .post('/echo')
    .set('content-type', 'application/json; charset=latin1')
    .send('{}');
  expect(latin.status).toBe(415);
});

test('bad JSON and bare scalars are 400 invalid_json', async () => {
  for (const raw of ['{"a":', '"text"', '42']) {
    const res = await request(app).post('/echo').set('content-type', 'application/json').send(raw);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
  }
});

test('a body over the limit is 413, declared or streamed', async () => {
  const big = JSON.stringify({ a: 'x'.repeat(100) });
  const declared = await request(app)
    .post('/echo')
    .set('content-type', 'application/json')
    .send(big);
  expect(declared.status).toBe(413);
  expect(declared.body.error).toBe('payload_too_large');
  const streamed = request(app).post('/echo').set('content-type', 'application/json');
  streamed.write(big.slice(0, 50));
  streamed.write(big.slice(50));
  const res = await streamed;
  expect(res.status).toBe(413);
});
