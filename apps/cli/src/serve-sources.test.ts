import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { resolveSources } from './serve-sources.ts';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'lenslet-sources-'));
  for (const dir of ['cats', 'dogs', 'a=b', 'other/cats'])
    await mkdir(join(cwd, dir), { recursive: true });
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const fail = async (args: string[], workspace: string | null = null) => {
  try {
    await resolveSources(args, workspace, cwd);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
};

test('no argument is the demo; one folder keeps its workspace inside it', async () => {
  expect(await resolveSources([], null, cwd)).toEqual({ mode: 'demo', workspace: null });
  expect(await resolveSources(['cats'], null, cwd)).toEqual({
    mode: 'folder',
    dir: join(cwd, 'cats'),
    workspace: join(cwd, 'cats', '.lenslet'),
  });
  expect(await resolveSources(['cats'], 'labels', cwd)).toMatchObject({
    workspace: join(cwd, 'labels'),
  });
});

test('name=dir is dataset mode, unless a folder has that exact name', async () => {
  expect(await resolveSources(['a=b'], null, cwd)).toMatchObject({
    mode: 'folder',
    dir: join(cwd, 'a=b'),
  });
  expect(await resolveSources(['kitties=cats', 'dogs=dogs'], '/ws', cwd)).toEqual({
    mode: 'dataset',
    roots: [
      { name: 'kitties', dir: join(cwd, 'cats') },
      { name: 'dogs', dir: join(cwd, 'dogs') },
    ],
    workspace: '/ws',
  });
  expect(await resolveSources(['only=cats'], null, cwd)).toMatchObject({
    mode: 'dataset',
    workspace: join(cwd, 'cats', '.lenslet'),
  });
});

test('plain folders are named after themselves', async () => {
  expect(await resolveSources(['cats', 'dogs'], '/ws', cwd)).toMatchObject({
    roots: [
      { name: 'cats', dir: join(cwd, 'cats') },
      { name: 'dogs', dir: join(cwd, 'dogs') },
    ],
  });
});

test('errors: missing folders, several folders without a workspace, clashing or bad names', async () => {
  expect(await fail(['nope'])).toMatchObject({
    code: 'not_found',
    message: `no folder ${join(cwd, 'nope')}`,
  });
  expect((await fail(['x=nope'])).message).toContain('for the dataset "x"');
  expect(await fail(['cats', 'dogs'])).toMatchObject({ code: 'usage' });
  expect((await fail(['cats', 'dogs'])).message).toContain('--workspace');
  expect((await fail(['cats', 'other/cats'], '/ws')).message).toContain('both be served as /cats');
  expect((await fail(['.hidden=cats'], '/ws')).code).toBe('usage');
  expect((await fail(['a/b=cats'], '/ws')).code).toBe('usage');
});

test('a table file is table mode with a workspace named after it; tables mix with folders', async () => {
  await writeFile(join(cwd, 'scores.parquet'), '');
  await writeFile(join(cwd, 'notes.txt'), '');
  expect(await resolveSources(['scores.parquet'], null, cwd)).toEqual({
    mode: 'table',
    file: join(cwd, 'scores.parquet'),
    dir: cwd,
    workspace: join(cwd, 'scores.lenslet'),
  });
  expect(await resolveSources(['cats', 's=scores.parquet'], 'labels', cwd)).toEqual({
    mode: 'dataset',
    roots: [
      { name: 'cats', dir: join(cwd, 'cats') },
      { name: 's', dir: cwd, table: join(cwd, 'scores.parquet') },
    ],
    workspace: join(cwd, 'labels'),
  });
  expect((await fail(['gone.csv'])).message).toMatch(/no table file .*gone\.csv/);
  expect((await fail(['notes.txt'])).message).toMatch(/no folder .*notes\.txt/);
});
