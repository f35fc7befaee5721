import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { testApp } from '../test-server.ts';
import { adminCall, workspaceServerPerTest } from './admin-test-kit.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const scope = workspaceServerPerTest('lenslet-admin-');

async function start(adminToken: string, accessToken: string | null = null) {
  const { workspace, store } = await scope.open();
  for (let i = 0; i < 20; i++) {
    await store.apply(
      { path: `/img${i % 3}.jpg` as CanonicalPath, patch: { add_tags: [`t${i}`] } },
      { actor: 'ana', mutation_id: `admin-test-${i}-key`, mode: 'patch' },
    );
  }
  const app = testApp({
    gallery: createFakeGallery([]),
    store,
    config: { workspace, token: accessToken },
  });
  return { workspace, url: await scope.serve(app, adminToken) };
}

/** POST /admin/compact with raw headers (node:http, so even Host can be set). */
const compact = (url: string, headers: Record<string, string> = {}) =>
  adminCall(url, 'POST', '/admin/compact', headers);

test('POST /admin/compact with the admin token from the lock compacts the workspace', async () => {
  const { workspace, url } = await start(TOKEN);
  const res = await compact(url, { 'x-lenslet-admin-token': TOKEN });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    from_seq: 1,
    to_seq: 20,
    archive: 'archive/labels.000000000001-000000000020.jsonl.gz',
  });
  expect(await readdir(join(workspace, 'archive'))).toHaveLength(2);
});

test('it is independent of the access token (which belongs to the gallery link)', async () => {
  const { url } = await start(TOKEN, 'access-token-for-colleagues');
  expect((await compact(url, { 'x-lenslet-admin-token': TOKEN })).status).toBe(200);
  const res = await compact(url, { authorization: 'Bearer access-token-for-colleagues' });
  expect(res.status).toBe(401);
});

test.each([
  ['no token', {}, 401, /missing or wrong x-lenslet-admin-token/],
  ['a wrong token', { 'x-lenslet-admin-token': 'nope' }, 401, /missing or wrong/],
  [
    'an Origin (a browser page)',
    { 'x-lenslet-admin-token': TOKEN, origin: 'http://127.0.0.1' },
    404,
    /only to this machine/,
  ],
  [
    'a proxy header',
    { 'x-lenslet-admin-token': TOKEN, 'x-forwarded-for': '10.0.0.9' },
    404,
    /only to this machine/,
  ],
  [
    'a non-loopback Host',
    { 'x-lenslet-admin-token': TOKEN, host: 'evil.example' },
    404,
    /only to this machine/,
  ],
])('refused with %s', async (_what, headers, status, message) => {
  const { workspace, url } = await start(TOKEN);
  const res = await compact(url, headers as Record<string, string>);
  expect(res.status).toBe(status);
  expect(res.body.message).toMatch(message);
  expect(await readdir(workspace)).not.toContain('archive');
});

test('a server started without an admin token refuses every admin request', async () => {
  const { url } = await start('');
  const res = await compact(url, { 'x-lenslet-admin-token': '' });
  expect(res.status).toBe(401);
  expect(res.body.message).toContain('started without an admin token');
});
