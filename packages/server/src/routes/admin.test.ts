import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { type JsonlStore, openJsonlStore } from '@lenslet/store';
import { afterEach, expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { type Listening, listen, testApp } from '../test-server.ts';

const TOKEN = 'admin-token-0123456789abcdef';
let root: string | null = null;
let store: JsonlStore | null = null;
let server: Listening | null = null;

afterEach(async () => {
  await server?.close();
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
  root = server = store = null;
});

async function start(adminToken: string, accessToken: string | null = null) {
  root = await mkdtemp(join(tmpdir(), 'lenslet-admin-'));
  const workspace = join(root, '.lenslet');
  store = await openJsonlStore(workspace, { onWarning: () => {} });
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
  server = await listen(app);
  await store.setLockInfo({ url: server.url, admin_token: adminToken });
  return { workspace, url: server.url };
}

/** POST /admin/compact with raw headers (node:http, so even Host can be set). */
function compact(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; json: () => Promise<{ message?: string }> }>(
    (resolve, reject) => {
      const req = request(`${url}/admin/compact`, { method: 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(body) }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

test('POST /admin/compact with the admin token from the lock compacts the workspace', async () => {
  const { workspace, url } = await start(TOKEN);
  const res = await compact(url, { 'x-lenslet-admin-token': TOKEN });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
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
  expect((await res.json()).message).toMatch(message);
  expect(await readdir(workspace)).not.toContain('archive');
});

test('a server started without an admin token refuses every admin request', async () => {
  const { url } = await start('');
  const res = await compact(url, { 'x-lenslet-admin-token': '' });
  expect(res.status).toBe(401);
  expect((await res.json()).message).toContain('started without an admin token');
});
