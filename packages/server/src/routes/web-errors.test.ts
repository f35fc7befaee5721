// Found by the fuzzer (issue 6): conditional and range requests on the web client's static
// files failed inside `send` — a 412 became a 500 with a stack trace in the log, and a 416 was
// a JSON body labelled text/html. Both are now ordinary `{error, message}` JSON answers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { testApp } from '../test-server.ts';

let dir: string;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-web-errors-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(dir, 'app.js'), 'console.log(1);\n');
  app = testApp({ gallery: createFakeGallery([]), config: { web_dir: dir } }).app;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test.each(['/', '/index.html', '/app.js'])(
  'GET %s with a failing If-Match: 412 JSON',
  async (path) => {
    const res = await request(app).get(path).set('If-Match', '"not-this-file"');
    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toBe('precondition_failed');
    expect(res.body.message).toMatch(/If-Match/);
  },
);

test('an unsatisfiable Range on a static file: 416 JSON, labelled as JSON', async () => {
  const res = await request(app).get('/app.js').set('Range', 'bytes=5000-');
  expect(res.status).toBe(416);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error).toBe('range_not_satisfiable');
});

test('the files themselves are still served', async () => {
  const res = await request(app).get('/app.js');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/javascript/);
});
