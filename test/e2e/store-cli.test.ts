/**
 * `lenslet replay` and `lenslet compact` as users run them: the built CLI in a child process, on
 * a real workspace — including compact asking a running server (which holds the lock) to do it.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CanonicalPath, ROOT_PATH } from '@lenslet/core';
import { openGallery, openThumbnailer } from '@lenslet/gallery';
import { createApp, DEFAULT_CONFIG } from '@lenslet/server';
import { encodeFrame, openJsonlStore } from '@lenslet/store';
import { ensureBuilt, FIXTURE_LOGS, runCli } from '@lenslet/test-kit';
import { afterEach, beforeAll, expect, test } from 'vitest';

let root: string | null = null;

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

async function folderWithGoodLog(): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'lenslet-store-cli-'));
  await mkdir(join(root, '.lenslet'));
  await copyFile(join(FIXTURE_LOGS, 'good.jsonl'), join(root, '.lenslet/labels.log.jsonl'));
  return root;
}

const cli = (...args: string[]) => runCli(args);

test('replay, verify and compact a workspace with the built CLI', async () => {
  const dir = await folderWithGoodLog();
  const replay = await cli('replay', dir, '--until', '2');
  expect(replay).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(replay.stdout)).toMatchObject({
    seq: 2,
    items: { '/cats/tabby.jpg': { tags: ['cute', 'orange'] } },
  });
  const compact = await cli('compact', dir);
  expect(compact.code).toBe(0);
  expect(compact.stdout).toMatch(/compacted .*: seqs 1–5/);
  expect(await readdir(join(dir, '.lenslet/archive'))).toEqual([
    'labels.000000000001-000000000005.idx',
    'labels.000000000001-000000000005.jsonl.gz',
  ]);
  const verify = await cli('replay', dir, '--verify');
  expect(verify.code).toBe(0);
  expect(verify.stdout).toContain('labels.000000000001-000000000005.idx matches its archive');
  const usage = await cli('replay', dir, '--until', 'yesterday');
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/^lenslet replay: --until takes a seq/);
}, 60_000);

test('compact asks the server holding the workspace to compact it', async () => {
  const dir = await folderWithGoodLog();
  const workspace = join(dir, '.lenslet');
  const store = await openJsonlStore(workspace, { onWarning: () => {} });
  const gallery = await openGallery({ roots: [{ prefix: ROOT_PATH, dir }], watch: 'off' });
  const thumbnailer = await openThumbnailer({ cache_dir: null });
  const app = createApp({
    store,
    gallery,
    thumbnailer,
    config: { ...DEFAULT_CONFIG, workspace },
  });
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await store.setLockInfo({
      url,
      admin_token: randomBytes(24).toString('base64url'),
    });
    await store.apply(
      { path: '/cats/tabby.jpg' as CanonicalPath, patch: { add_tags: ['served'] } },
      { actor: 'ana', mutation_id: 'e2e-compact-key-1', mode: 'patch' },
    );
    const out = await cli('compact', dir);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`asking the server at ${url} (pid ${process.pid}) to compact`);
    expect(out.stdout).toMatch(/seqs 1–6/);
    // The new live log holds nothing but its header frame (docs/format.md, "Group frames").
    const header = `${encodeFrame(0, 0)}\n`.length;
    expect(store.status()).toMatchObject({ snapshot_seq: 6, log_bytes: header });
    // The server keeps serving writes on its new live log.
    const next = await store.apply(
      { path: '/cats/tabby.jpg' as CanonicalPath, patch: { add_tags: ['after'] } },
      { actor: 'ana', mutation_id: 'e2e-compact-key-2', mode: 'patch' },
    );
    expect(next.record?.seq).toBe(7);
  } finally {
    server.closeAllConnections();
    server.close();
    await app.close();
    await thumbnailer.close();
    await gallery.close();
    await store.close();
  }
}, 60_000);
