import { nodeFs } from '@lenslet/store';
import { FaultInjector } from '@lenslet/store/testing';
import { expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { DEFAULT_CONFIG } from '../context.ts';
import { createFakeGallery, createFakeThumbnailer } from '../fake-gallery.ts';
import { adminCall, workspaceServerPerTest } from './admin-test-kit.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const scope = workspaceServerPerTest('lenslet-admin-faults-');

async function start(withFaults: boolean) {
  const faults = new FaultInjector();
  const { workspace, store } = await scope.open({ fs: faults.wrap(nodeFs()) });
  const app = createApp({
    store,
    gallery: createFakeGallery([{ path: '/a.jpg' }]),
    thumbnailer: createFakeThumbnailer(),
    ...(withFaults ? { faults } : {}),
    config: { ...DEFAULT_CONFIG, workspace },
  });
  return { url: await scope.serve(app, ADMIN), faults };
}

const call = adminCall;

const patchA = (url: string, key: string) =>
  call(url, 'PATCH', '/item?path=/a.jpg', { 'idempotency-key': key }, { add_tags: [key] });

test('POST /admin/faults fails the disk until DELETE heals it', async () => {
  const { url } = await start(true);
  const admin = { 'x-lenslet-admin-token': ADMIN };
  const on = await call(url, 'POST', '/admin/faults', admin, {
    rules: [{ op: 'datasync', code: 'ENOSPC' }],
  });
  expect(on).toEqual({ status: 200, body: { active: true, injected: 0 } });
  // Every fdatasync fails, so the written record cannot be cut off either: after a bounded wait
  // the answer says its outcome is not known (the retry below finds out).
  const failed = await patchA(url, 'fault-key-0001');
  expect(failed.status).toBe(503);
  expect(failed.body.error).toBe('persistence_unavailable');
  expect(failed.body.message).toContain('may or may not have been saved');
  const off = await call(url, 'DELETE', '/admin/faults', admin);
  expect(off.status).toBe(200);
  expect(off.body.active).toBe(false);
  expect(off.body.injected).toBeGreaterThan(0);
  const retried = await patchA(url, 'fault-key-0001');
  expect(retried.status).toBe(200);
  expect((retried.body.sidecar as { tags: string[] }).tags).toEqual(['fault-key-0001']);
});

test('the fault routes check the admin token and refuse malformed rules', async () => {
  const { url, faults } = await start(true);
  const wrong = await call(url, 'POST', '/admin/faults', { 'x-lenslet-admin-token': 'nope' }, {});
  expect(wrong.status).toBe(401);
  const bad = await call(
    url,
    'POST',
    '/admin/faults',
    { 'x-lenslet-admin-token': ADMIN },
    { rules: [{ op: 'format-disk', code: 'EIO' }] },
  );
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe('invalid_request');
  expect(faults.active).toBe(false);
});

test('without an injector the fault routes do not exist', async () => {
  const { url } = await start(false);
  const res = await call(
    url,
    'POST',
    '/admin/faults',
    { 'x-lenslet-admin-token': ADMIN },
    { rules: [{ op: 'datasync', code: 'EIO' }] },
  );
  expect(res.status).toBe(404);
  expect((await patchA(url, 'fault-key-0002')).status).toBe(200);
});
