/**
 * The fast lane is derived from route declarations, not written for `PATCH /item`: a declared
 * route marked `lane` is matched in its `<path>?` form, passes the app's stages, gets its own
 * body limit and its own handler; everything else goes to the fallback.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openMemoryStore } from '@lenslet/store';
import { expect, test } from 'vitest';
import { createApp } from './app.ts';
import { DEFAULT_CONFIG } from './context.ts';
import { laneMatcher, takesFastLane, withFastLane } from './fast-lane.ts';
import type { JsonRoute } from './json-route.ts';
import { FakeGallery, noThumbnails } from './live-test-kit.ts';
import { LABEL_WRITES } from './routes/labels.ts';
import { raw } from './test-server.ts';

const probe: JsonRoute = {
  method: 'PUT',
  path: '/probe',
  body_limit: 32,
  lane: true,
  handle: async (_ctx, request) => ({
    status: 201,
    body: { query: request.query, body: request.body ?? null },
    headers: { 'X-Probe': '1' },
  }),
};
const quiet: JsonRoute = { ...probe, method: 'POST', path: '/quiet', lane: false };

test('the app lane takes exactly the label writes declared `lane`, in their `<path>?` form', () => {
  const lane = LABEL_WRITES.filter((route) => route.lane);
  expect(lane.map((route) => `${route.method} ${route.path}`)).toEqual(['PATCH /item']);
  for (const route of LABEL_WRITES) {
    expect(takesFastLane(route.method, `${route.path}?path=%2Fa.jpg`)).toBe(route.lane);
    expect(takesFastLane(route.method, route.path)).toBe(false);
  }
});

test('a matcher over any declarations: method, exact path, a query, no unusual characters', () => {
  const match = laneMatcher([probe, quiet]);
  expect(match('PUT', '/probe?a=1')?.route).toBe(probe);
  expect(match('PUT', '/probe?')?.route).toBe(probe);
  for (const [method, url] of [
    ['PUT', '/probe'],
    ['PUT', '/probe/?a=1'],
    ['PUT', '/probes?a=1'],
    ['PUT', '/probe?a=1#x'],
    ['PATCH', '/probe?a=1'],
    ['POST', '/quiet?a=1'],
    [undefined, '/probe?a=1'],
    ['PUT', undefined],
  ] as const) {
    expect(match(method, url), `${method} ${url}`).toBeUndefined();
  }
});

test('a declared lane route is served with the stages, its body limit and its handler', async () => {
  const lenslet = createApp({
    store: openMemoryStore(),
    gallery: new FakeGallery(['/a.jpg']),
    thumbnailer: noThumbnails,
    config: DEFAULT_CONFIG,
  });
  const fallen: string[] = [];
  const fallback: RequestListener = (req, res) => {
    fallen.push(`${req.method} ${req.url}`);
    res.writeHead(599).end();
  };
  const server = createServer(withFastLane(lenslet.context, fallback, () => {}, [probe]));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const put = (path: string, body: string, headers: Record<string, string> = {}) =>
    raw(`${url}${path}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  try {
    const ok = await put('/probe?a=1', '{"b":2}');
    expect(ok.status).toBe(201);
    expect(ok.json()).toEqual({ query: { a: '1' }, body: { b: 2 } });
    expect(ok.headers).toMatchObject({ 'x-probe': '1', 'x-content-type-options': 'nosniff' });
    const big = await put('/probe?a=1', JSON.stringify({ b: 'x'.repeat(40) }));
    expect(big.status).toBe(413);
    const host = await put('/probe?a=1', '{}', { Host: 'evil.example' });
    expect(host.status).toBe(403);
    expect(host.json()).toMatchObject({ error: 'host_not_allowed' });
    expect(fallen).toEqual([]);
    expect((await put('/probe', '{}')).status).toBe(599);
    expect((await put('/item?path=%2Fa.jpg', '{}')).status).toBe(599);
    expect(fallen).toEqual(['PUT /probe', 'PUT /item?path=%2Fa.jpg']);
  } finally {
    await lenslet.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
