/**
 * Parity of the `PATCH /item` fast lane with the express route: every request is sent, over real
 * ports, to two servers built alike on identical stores — one through the fast lane (with a
 * fallback that counts what it hands to express), one through express alone — and both answers
 * must be the same status, headers (but Date) and bytes (the harness: fast-lane-parity-kit.ts).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openMemoryStore } from '@lenslet/store';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from './app.ts';
import { DEFAULT_CONFIG } from './context.ts';
import { takesFastLane } from './fast-lane.ts';
import {
  type Build,
  closeSides,
  edit,
  js,
  json,
  key,
  pair,
  patch,
  type Send,
  same,
} from './fast-lane-parity-kit.ts';
import { FakeGallery, noThumbnails } from './live-test-kit.ts';
import { raw } from './test-server.ts';
import { tokenCookieName } from './tokens.ts';

const TOKEN = 'fast-lane-token-0123456789';

afterEach(closeSides);

test('which requests take the fast lane', () => {
  expect(takesFastLane('PATCH', '/item?path=%2Fa.jpg')).toBe(true);
  expect(takesFastLane('PATCH', '/item?')).toBe(true);
  for (const [method, url] of [
    ['PUT', '/item?path=/a.jpg'],
    ['HEAD', '/item?path=/a.jpg'],
    ['GET', '/item?path=/a.jpg'],
    ['PATCH', '/item'],
    ['PATCH', '/item/?path=/a.jpg'],
    ['PATCH', '/ITEM?path=/a.jpg'],
    ['PATCH', '/item/history?path=/a.jpg'],
    ['PATCH', '/item/metrics?path=/a.jpg'],
    ['PATCH', '/item?path=/a.jpg#top'],
    ['PATCH', '/items/patch'],
    ['PATCH', 'http://127.0.0.1/item?path=/a.jpg'],
  ] as const) {
    expect(takesFastLane(method, url), `${method} ${url}`).toBe(false);
  }
});

describe('an open loopback server', () => {
  test('an accepted write: same body, ETag, Lenslet-Seq and hardening headers', async () => {
    const p = await pair();
    const res = await same(
      p,
      patch({ add_tags: ['cat'] }, { 'X-Lenslet-User': 'Ana%20B' }),
      'fast',
    );
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      etag: '"2"',
      'lenslet-seq': '1',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(js(res)).toMatchObject({
      sidecar: { path: '/a.jpg', tags: ['cat'], version: 2, updated_by: 'Ana B' },
      accepted_event: { seq: 1 },
      persistence: 'memory',
      rebased: false,
    });
    expect(p.fast.store.get(js(res).sidecar.path).tags).toEqual(['cat']);
  });

  test('a retried key answers identically and records nothing; another request is 422', async () => {
    const p = await pair();
    const first = patch({ add_tags: ['x'] });
    const a = await same(p, first, 'fast');
    const b = await same(p, first, 'fast');
    expect(b.text).toBe(a.text);
    expect(p.fast.store.head()).toBe(1);
    const k = key();
    await same(p, patch({ add_tags: ['y'] }, { 'Idempotency-Key': k }), 'fast');
    const reused = await same(p, patch({ add_tags: ['z'] }, { 'Idempotency-Key': k }), 'fast');
    expect(reused.status).toBe(422);
    expect(js(reused).error).toBe('idempotency_key_reused');
  });

  test('a conflict is 409 with the current sidecar', async () => {
    const p = await pair();
    await same(p, patch({ base_version: 1, set_star: 3 }), 'fast');
    const res = await same(p, patch({ base_version: 1, set_star: 4 }), 'fast');
    expect(res.status).toBe(409);
    expect(js(res)).toMatchObject({
      error: 'version_conflict',
      message: expect.any(String),
      current: { path: '/a.jpg', star: 3, version: 2 },
    });
  });

  test('bad input: the same 4xx {error, message} as express, and nothing recorded', async () => {
    const p = await pair();
    const cases: [Build, number, string, RegExp][] = [
      [
        edit(patch({ add_tags: ['x'] }), () => ({ headers: json })),
        400,
        'invalid_idempotency_key',
        /Idempotency-Key/,
      ],
      [patch({ colour: 'red' }), 400, 'invalid_patch', /"colour"/],
      [patch({ add_tags: [''] }), 400, 'invalid_patch', /add_tags/],
      [patch([1, 2]), 400, 'invalid_patch', /object/],
      [patch({ set_star: 3 }), 428, 'precondition_required', /base_version|If-Match/],
      [patch({ base_version: 1, set_star: 3 }, { 'If-Match': '"2"' }), 400, 'invalid_request', /./],
      [patch({ add_tags: ['x'] }, {}, '/nope.jpg'), 404, 'not_found', /not in the gallery/],
      [patch({ add_tags: ['x'] }, {}, '/../etc/passwd'), 400, 'invalid_path', /\.\./],
      [
        edit(patch({ add_tags: ['x'] }), () => ({ path: '/item?path=/a.jpg&path=/b.jpg' })),
        400,
        'invalid_request',
        /once/,
      ],
      [
        edit(patch({ add_tags: ['x'] }), () => ({ path: '/item?other=1' })),
        400,
        'invalid_path',
        /required/,
      ],
      [patch({ add_tags: ['x'] }, { 'X-Lenslet-User': '%E0%A4%A' }), 400, 'invalid_user', /User/],
      [
        patch({ add_tags: ['x'] }, { 'X-Lenslet-Client-Id': 'has space' }),
        400,
        'invalid_request',
        /X-Lenslet-Client-Id/,
      ],
      [edit(patch({}), () => ({ body: '{"add_tags":' })), 400, 'invalid_json', /not valid JSON/],
      [edit(patch({}), () => ({ body: undefined })), 400, 'invalid_patch', /./],
      [
        patch({ add_tags: ['x'] }, { 'Content-Type': 'text/plain' }),
        415,
        'unsupported_media_type',
        /application\/json/,
      ],
      [
        patch({ add_tags: ['x'] }, { 'Content-Type': 'application/json; charset=latin1' }),
        415,
        'unsupported_media_type',
        /UTF-8/,
      ],
    ];
    for (const [build, status, code, message] of cases) {
      const res = await same(p, build, 'fast');
      expect({ status: res.status, code: js(res).error }).toEqual({ status, code });
      expect(js(res).message).toMatch(message);
    }
    expect(p.fast.store.head()).toBe(0);
  });

  test('a body over 1 MiB is 413, whether its length is declared or streamed', async () => {
    const p = await pair();
    const big = JSON.stringify({ set_notes: 'n'.repeat(1024 * 1024), base_version: 1 });
    const declared = await same(
      p,
      edit(patch({}), (send) => ({
        headers: { ...send.headers, 'Content-Length': String(big.length) },
        body: big,
      })),
      'fast',
    );
    const streamed = await same(
      p,
      edit(patch({}), () => ({ body: big })),
      'fast',
    );
    for (const res of [declared, streamed]) {
      expect(res.status).toBe(413);
      expect(js(res).error).toBe('payload_too_large');
    }
    expect(p.fast.store.head()).toBe(0);
  });

  test('bad Host, foreign Origin or a bad Referer are refused before anything is read', async () => {
    const p = await pair();
    const host = await same(p, patch({ add_tags: ['x'] }, { Host: 'evil.example' }), 'fast');
    expect(host.status).toBe(403);
    expect(js(host).error).toBe('host_not_allowed');
    const origin = await same(
      p,
      patch({ add_tags: ['x'] }, { Origin: 'http://evil.example' }),
      'fast',
    );
    expect(origin.status).toBe(403);
    expect(js(origin)).toMatchObject({ error: 'origin_not_allowed' });
    const referer = await same(p, patch({ add_tags: ['x'] }, { Referer: 'not a url' }), 'fast');
    expect(referer.status).toBe(403);
    const own = await same(
      p,
      edit(patch({ add_tags: ['x'] }), (send, s) => ({
        headers: { ...send.headers, Origin: `http://${s.host}` },
      })),
      'fast',
    );
    expect(own.status).toBe(200);
    expect(p.fast.store.head()).toBe(1);
  });

  test('X-Lenslet-Client-Id marks that presence session as editing', async () => {
    const p = await pair();
    const join = (lease_id?: string) =>
      raw(`${p.fast.url}/presence/join`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ gallery_id: '/', client_id: 'tab-1', lease_id }),
      });
    const joined = js(await join());
    expect(joined.editing).toBe(0);
    await same(p, patch({ add_tags: ['x'] }, { 'X-Lenslet-Client-Id': 'tab-1' }), 'fast');
    expect(js(await join(joined.lease_id)).editing).toBe(1);
  });

  test('a closed store (shutting down) is 503 shutting_down', async () => {
    const p = await pair();
    await p.fast.store.close();
    await p.express.store.close();
    const res = await same(p, patch({ add_tags: ['x'] }), 'fast');
    expect(res.status).toBe(503);
    expect(js(res).error).toBe('shutting_down');
  });

  test('other methods and /item/… paths go to express unchanged', async () => {
    const p = await pair();
    await same(p, patch({ add_tags: ['x'] }), 'fast');
    const sends: [Send, number][] = [
      [{ method: 'GET', path: '/item?path=/a.jpg' }, 200],
      [{ method: 'HEAD', path: '/item?path=/a.jpg' }, 200],
      [{ method: 'GET', path: '/item/history?path=/a.jpg' }, 200],
      [{ method: 'PATCH', path: '/item/history?path=/a.jpg', headers: json, body: '{}' }, 404],
      [{ method: 'PATCH', path: '/item/metrics?path=/a.jpg', headers: json, body: '{}' }, 404],
      [{ method: 'PUT', path: '/item/metrics?path=/a.jpg', headers: json, body: '{}' }, 400],
      [{ method: 'PATCH', path: '/item', headers: json, body: '{}' }, 400],
    ];
    for (const [send, status] of sends) {
      const res = await same(p, () => send, 'express');
      expect(res.status, `${send.method} ${send.path}`).toBe(status);
    }
    // The URL forms express also routes to PATCH /item still work, through express.
    for (const path of ['/item/?path=/b.jpg', '/ITEM?path=/b.jpg']) {
      const res = await same(
        p,
        edit(patch({ add_tags: [path.slice(1, 5)] }), () => ({ path })),
        'express',
      );
      expect(res.status, path).toBe(200);
    }
  });
});

describe('a server with a token', () => {
  const config = { token: TOKEN, public_url: 'https://gallery.example.org' };
  const cookie = `${tokenCookieName(TOKEN)}=${TOKEN}`;

  test('no token or a wrong one is 401 with WWW-Authenticate; a Bearer token passes', async () => {
    const p = await pair(config);
    const missing = await same(p, patch({ add_tags: ['x'] }), 'fast');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="lenslet"');
    expect(js(missing).error).toBe('unauthorized');
    const wrong = await same(
      p,
      patch({ add_tags: ['x'] }, { Authorization: 'Bearer not-the-token-at-all' }),
      'fast',
    );
    expect(wrong.status).toBe(401);
    expect(js(wrong).message).toMatch(/Bearer token is not valid/);
    const bearer = await same(
      p,
      patch({ add_tags: ['x'] }, { Authorization: `Bearer ${TOKEN}` }),
      'fast',
    );
    expect(bearer.status).toBe(200);
  });

  test('the cookie needs an Origin of this server or of --public-url', async () => {
    const p = await pair(config);
    const bare = await same(p, patch({ add_tags: ['x'] }, { Cookie: cookie }), 'fast');
    expect(bare.status).toBe(403);
    expect(js(bare).error).toBe('origin_not_allowed');
    const foreign = await same(
      p,
      patch({ add_tags: ['x'] }, { Cookie: cookie, Origin: 'https://evil.example' }),
      'fast',
    );
    expect(foreign.status).toBe(403);
    const proxied = await same(
      p,
      patch(
        { add_tags: ['x'] },
        { Cookie: cookie, Origin: 'https://gallery.example.org', Host: 'gallery.example.org' },
      ),
      'fast',
    );
    expect(proxied.status).toBe(200);
    expect(p.fast.store.head()).toBe(1);
  });
});

test('a --read-only server refuses the write (after the Host check)', async () => {
  const p = await pair({ read_only: true });
  const res = await same(p, patch({ add_tags: ['x'] }), 'fast');
  expect(res.status).toBe(403);
  expect(js(res).error).toBe('read_only');
  const host = await same(p, patch({ add_tags: ['x'] }, { Host: 'evil.example' }), 'fast');
  expect(js(host).error).toBe('host_not_allowed');
  expect(p.fast.store.head()).toBe(0);
});

test('createApp().handler serves PATCH /item itself and hands the rest to express', async () => {
  const lenslet = createApp({
    store: openMemoryStore(),
    gallery: new FakeGallery(['/a.jpg']),
    thumbnailer: noThumbnails,
    config: DEFAULT_CONFIG,
  });
  // Stand-in for express: every request it gets answers 599 (express 5's app calls app.handle).
  (lenslet.app as unknown as { handle: (req: unknown, res: ServerResponse) => void }).handle = (
    _req,
    res,
  ) => {
    res.writeHead(599).end();
  };
  const server = createServer(lenslet.handler).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/item?path=%2Fa.jpg`;
  try {
    const write = await raw(url, {
      method: 'PATCH',
      headers: { ...json, 'Idempotency-Key': key() },
      body: JSON.stringify({ add_tags: ['x'] }),
    });
    expect(write.status).toBe(200);
    expect(js(write).sidecar.tags).toEqual(['x']);
    expect((await raw(url)).status).toBe(599);
  } finally {
    await lenslet.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
