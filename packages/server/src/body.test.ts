import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { LensletError } from '@lenslet/core';
import express from 'express';
import request from 'supertest';
import { expect, test } from 'vitest';
import { jsonBody, readJsonBody } from './body.ts';
import { errorHandler } from './errors.ts';

const app = express();
app.post('/echo', jsonBody(64), (req, res) => {
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

test('a compressed body is 415, never parsed as JSON', async () => {
  const res = await request(app)
    .post('/echo')
    .set('content-type', 'application/json')
    .set('content-encoding', 'gzip')
    .send('{}');
  expect(res.status).toBe(415);
  expect(res.body.error).toBe('unsupported_media_type');
  const identity = await request(app)
    .post('/echo')
    .set('content-type', 'application/json')
    .set('content-encoding', 'identity')
    .send('{"a":1}');
  expect(identity.body).toEqual({ body: { a: 1 } });
});

test('only whitespace is no body; a body cut off by the client is a 400, not a 500', async () => {
  const blank = await request(app)
    .post('/echo')
    .set('content-type', 'application/json')
    .send(' \n');
  expect(blank.body).toEqual({ body: null });
  // A request stream that errors half-way, as node's does when the client hangs up.
  const stream = new PassThrough();
  const req = Object.assign(stream, {
    headers: { 'content-type': 'application/json', 'content-length': '20' },
  }) as unknown as IncomingMessage;
  const answer = new Promise<unknown>((resolve) => {
    readJsonBody(req, 64, (error) => resolve(error));
  });
  stream.write('{"a":');
  stream.destroy(new Error('aborted'));
  const error = await answer;
  expect(error).toBeInstanceOf(LensletError);
  expect((error as LensletError).status).toBe(400);
});
