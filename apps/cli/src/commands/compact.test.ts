import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openJsonlStore } from '@lenslet/store';
import { afterEach, describe, expect, test } from 'vitest';
import { goldenLogFolders, run } from './command-test-kit.ts';

const folders = goldenLogFolders('lenslet-compact-cli-');
const folderWith = folders.make;
afterEach(folders.cleanup);

describe('lenslet compact', () => {
  test('rotates, archives and snapshots; prints the seq range and sizes', async () => {
    const dir = await folderWith('good.jsonl');
    const out = await run('compact', dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/compacted .*\.lenslet: seqs 1–5/);
    expect(out.stdout).toMatch(
      /log \+ snapshot: [\d.]+ (bytes|KiB) before, [\d.]+ (bytes|KiB) after/,
    );
    expect(out.stdout).toContain('archive: archive/labels.000000000001-000000000005.jsonl.gz');
    expect(await readdir(join(dir, '.lenslet/archive'))).toHaveLength(2);
    // The labels are unchanged and the lock is gone.
    const replay = await run('replay', dir);
    expect(JSON.parse(replay.stdout).seq).toBe(5);
    expect(await readdir(join(dir, '.lenslet'))).not.toContain('lock');
  });

  test('a workspace held by a server that accepts no admin requests: exit 1 naming pid and URL', async () => {
    const dir = await folderWith('good.jsonl');
    const store = await openJsonlStore(join(dir, '.lenslet'), { onWarning: () => {} });
    await store.setLockInfo({ url: 'http://127.0.0.1:9', admin_token: '' });
    try {
      const out = await run('compact', dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(`pid ${process.pid}`);
      expect(out.stderr).toContain('serving http://127.0.0.1:9');
      expect(out.stderr).toContain('does not accept admin requests');
    } finally {
      await store.close();
    }
  });

  test('a held workspace whose server cannot be reached: exit 1 naming pid and URL', async () => {
    const dir = await folderWith('good.jsonl');
    const store = await openJsonlStore(join(dir, '.lenslet'), { onWarning: () => {} });
    await store.setLockInfo({ url: 'http://127.0.0.1:9', admin_token: 'a'.repeat(32) });
    try {
      const out = await run('compact', dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(
        /pid \d+ .*serving http:\/\/127\.0\.0\.1:9\), but it could not be reached/,
      );
    } finally {
      await store.close();
    }
  });

  test('--repair salvages a corrupt log: keeps every good record, renumbers, quarantines the originals', async () => {
    const dir = await folderWith('corrupt-middle.jsonl');
    const original = await readFile(join(dir, '.lenslet/labels.log.jsonl'));
    const refused = await run('compact', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 3: crc mismatch/);
    const out = await run('compact', dir, '--repair');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('found: labels.log.jsonl line 3: crc mismatch');
    expect(out.stdout).toMatch(/kept 4 records \(2 renumbered\), dropped 1 damaged lines/);
    const [saved] = await readdir(join(dir, '.lenslet/quarantine'));
    expect(await readFile(join(dir, '.lenslet/quarantine', saved!, 'labels.log.jsonl'))).toEqual(
      original,
    );
    const verify = await run('replay', dir, '--verify');
    expect(verify.code).toBe(0);
    const replay = JSON.parse((await run('replay', dir)).stdout);
    expect(replay.seq).toBe(4);
    expect(replay.items['/dogs/rex.png'].metrics).toEqual({ sharpness: 0.31 });
    expect((await run('compact', dir, '--repair')).stdout).toMatch(/has no problem to repair/);
  });

  test('usage: a second folder, an unknown flag, --help', async () => {
    const dir = await folderWith('good.jsonl');
    expect(await run('compact', dir, dir)).toMatchObject({ code: 2 });
    const bad = await run('compact', '--force');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--force'\. Try: lenslet compact --help/);
    const help = await run('compact', '--help');
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^Usage: lenslet compact \[dir\] \[--repair\]/);
    await writeFile(join(dir, 'x'), '');
    expect((await run('compact', join(dir, 'x'))).stderr).toMatch(/is not a directory/);
  });
});
