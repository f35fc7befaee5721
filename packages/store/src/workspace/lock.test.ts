import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { rejection } from '../testing/test-support.ts';
import { LOCK_FORMAT } from './lock.ts';
import { startTimeOf, systemProbe } from './process-identity.ts';

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

async function workspaceDir(): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'lenslet-lock-'));
  return join(root, '.lenslet');
}

const self = systemProbe().self();

async function writeLock(dir: string, fields: Record<string, unknown>) {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'lock'),
    JSON.stringify({
      format: LOCK_FORMAT,
      ...self,
      created_at: '2026-01-01T00:00:00.000Z',
      url: null,
      admin_token: null,
      ...fields,
    }),
  );
}

test('the lock names this process (pid, host, boot id, start time) and is private', async () => {
  const dir = await workspaceDir();
  const store = await openJsonlStore(dir, { onWarning: () => {} });
  const info = JSON.parse(await readFile(join(dir, 'lock'), 'utf8'));
  expect(info).toMatchObject({ pid: process.pid, host: hostname(), url: null });
  expect(info.boot_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(info.start_time).toBe(startTimeOf(process.pid));
  expect((await stat(join(dir, 'lock'))).mode & 0o777).toBe(0o600);
  await store.setLockInfo({ url: 'http://127.0.0.1:7070', admin_token: 'secret-token' });
  expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8'))).toMatchObject({
    url: 'http://127.0.0.1:7070',
    admin_token: 'secret-token',
  });
  expect((await stat(join(dir, 'lock'))).mode & 0o777).toBe(0o600);
  await store.close();
  await expect(stat(join(dir, 'lock'))).rejects.toMatchObject({ code: 'ENOENT' });
});

test('a second writer is refused with the holder pid, host and URL', async () => {
  const dir = await workspaceDir();
  const first = await openJsonlStore(dir, { onWarning: () => {} });
  await first.setLockInfo({ url: 'http://127.0.0.1:7071', admin_token: 't' });
  const error = await rejection(openJsonlStore(dir, { onWarning: () => {} }));
  expect(error.code).toBe('workspace_locked');
  expect(error.message).toContain(`pid ${process.pid} on ${hostname()}`);
  expect(error.message).toContain('serving http://127.0.0.1:7071');
  expect(error.details).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:7071' });
  await first.close();
  const second = await openJsonlStore(dir, { onWarning: () => {} });
  await second.close();
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test.each([
  ['a dead pid', () => ({ pid: deadPid() })],
  ['another boot', () => ({ boot_id: '00000000-0000-0000-0000-000000000000' })],
  ['a reused pid (other start time)', () => ({ start_time: (self.start_time ?? 0) + 12345 })],
])('a stale lock left by %s is taken over with a warning', async (_what, fields) => {
  const dir = await workspaceDir();
  await writeLock(dir, fields());
  const warnings: string[] = [];
  const store = await openJsonlStore(dir, { onWarning: (w) => warnings.push(w) });
  expect(warnings.join('\n')).toMatch(
    /taking over the workspace lock of pid \d+ .* no longer running/,
  );
  expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).start_time).toBe(self.start_time);
  await store.close();
});

test('a lock from another host is never taken over (its pids cannot be checked from here)', async () => {
  const dir = await workspaceDir();
  await writeLock(dir, { host: 'elsewhere', pid: 1, url: 'http://10.0.0.5:7070' });
  const error = await rejection(openJsonlStore(dir, { onWarning: () => {} }));
  expect(error.code).toBe('workspace_locked');
  expect(error.message).toContain('pid 1 on elsewhere, serving http://10.0.0.5:7070');
  expect(error.message).toContain(`delete ${dir}/lock`);
});

test('an unreadable lock is taken over once it is old enough not to be mid-creation', async () => {
  const dir = await workspaceDir();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'lock'), '');
  const old = new Date(Date.now() - 60_000);
  await utimes(join(dir, 'lock'), old, old);
  const warnings: string[] = [];
  const store = await openJsonlStore(dir, { onWarning: (w) => warnings.push(w) });
  expect(warnings.join('\n')).toMatch(/lock was unreadable/);
  await store.close();
});

test('closing does not remove a lock that another process has since taken', async () => {
  const dir = await workspaceDir();
  const store = await openJsonlStore(dir, { onWarning: () => {} });
  await writeLock(dir, { pid: 999_999, created_at: '2030-01-01T00:00:00.000Z' });
  await store.close();
  expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).pid).toBe(999_999);
});
