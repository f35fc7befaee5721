/**
 * A workspace imported from the original (Python) Lenslet, whose log continues the original's
 * event ids (records 9–12 after its last id 12, docs/format.md §9), under the built CLI: `replay`
 * (`--until`, `--verify`), `compact` and `migrate` into another workspace all see the same log.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { openJsonlStore } from '@lenslet/store';
import { ensureBuilt, ROOT, runCli } from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';

let root: string;
const cli = (...args: string[]) => runCli(args);

beforeAll(async () => {
  await ensureBuilt();
  root = await mkdtemp(join(tmpdir(), 'lenslet-legacy-cli-'));
}, 180_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('replay --until/--verify, compact and migrate keep the seqs that continue the original ids', async () => {
  const dir = join(root, 'imported');
  await cp(join(ROOT, 'test/fixtures/legacy-workspace/gen-ab'), join(dir, '.lenslet'), {
    recursive: true,
  });
  const store = await openJsonlStore(join(dir, '.lenslet'), { onWarning: () => {} });
  expect(store.head()).toBe(12);
  await store.apply(
    { path: '/animals/cat.jpg' as CanonicalPath, patch: { add_tags: ['later'] } },
    { actor: 'ana', mutation_id: 'legacy-cli-0001', mode: 'patch' },
  );
  await store.close();

  const until = await cli('replay', dir, '--until', '10', '--format', 'json');
  expect(until.code, until.stderr).toBe(0);
  // Seq 9 is the image cleared back to defaults (not listed), seq 10 the cat.
  const state = JSON.parse(until.stdout) as { seq: number; items: Record<string, unknown> };
  expect(state.seq).toBe(10);
  expect(Object.keys(state.items)).toEqual(['/animals/cat.jpg']);
  const verify = await cli('replay', dir, '--verify');
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain('seqs 9–13');
  const compact = await cli('compact', dir);
  expect(compact.code, compact.stderr).toBe(0);
  const after = await cli('replay', dir, '--verify');
  expect(after.code, after.stdout + after.stderr).toBe(0);

  const out = join(root, 'copy');
  const copied = await cli('migrate', '--from', dir, '--to', out);
  expect(copied.code, copied.stderr).toBe(0);
  expect(copied.stdout).toMatch(/copied 5 records \(log .*, seqs 9–13\)/);
  expect(JSON.parse(await readFile(join(out, '.lenslet/labels.meta.json'), 'utf8'))).toMatchObject({
    first_seq: 9,
  });
  expect((await cli('replay', out)).stdout).toBe((await cli('replay', dir)).stdout);
}, 120_000);
