import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LensletError } from '@lenslet/core';
import { afterEach, describe, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { p } from '../testing/test-support.ts';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/logs/', import.meta.url));
let root: string | null = null;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

/** A workspace whose log (and optionally snapshot) are copies of fixtures. */
async function workspace(log: string, snapshot?: string): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'lenslet-recovery-'));
  const dir = join(root, '.lenslet');
  await mkdir(dir);
  await copyFile(join(FIXTURES, log), join(dir, 'labels.log.jsonl'));
  if (snapshot) await copyFile(join(FIXTURES, snapshot), join(dir, 'labels.snapshot.json'));
  return dir;
}

async function openCollecting(dir: string) {
  const warnings: string[] = [];
  const store = await openJsonlStore(dir, { onWarning: (w) => warnings.push(w) });
  return { store, warnings };
}

async function openError(dir: string): Promise<LensletError> {
  try {
    const store = await openJsonlStore(dir, { onWarning: () => {} });
    await store.close();
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected the open to fail');
}

describe('recovery from golden logs', () => {
  test('a good log opens with every record', async () => {
    const { store, warnings } = await openCollecting(await workspace('good.jsonl'));
    expect(store.head()).toBe(5);
    expect(store.get(p('/cats/tabby.jpg'))).toMatchObject({ star: 4, tags: ['cute'], version: 4 });
    expect(store.get(p('/dogs/rex.png'))).toMatchObject({
      notes: 'blurry — retake?',
      metrics: { sharpness: 0.31 },
    });
    expect(warnings).toEqual([]);
    await store.close();
  });

  test.each([
    ['torn-tail.jsonl', 'the last line is incomplete'],
    ['torn-tail-bad-crc.jsonl', 'crc mismatch'],
  ])('%s: the torn tail is cut, kept in quarantine, and reported', async (fixture, reason) => {
    const dir = await workspace(fixture);
    const original = await readFile(join(dir, 'labels.log.jsonl'));
    const good = await readFile(join(FIXTURES, 'good.jsonl'));
    const { store, warnings } = await openCollecting(dir);
    expect(store.head()).toBe(4);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('interrupted write at line 5');
    expect(warnings[0]).toContain(reason);
    expect(warnings[0]).toMatch(/saved them to quarantine\//);
    await store.close();
    // The log now ends after line 4; the cut bytes are in quarantine, byte for byte.
    const fourLines = good.subarray(0, good.indexOf('{"v":1,"seq":5'));
    const log = await readFile(join(dir, 'labels.log.jsonl'));
    expect(log.subarray(0, fourLines.length).equals(fourLines)).toBe(true);
    const quarantined = await readdir(join(dir, 'quarantine'));
    expect(quarantined).toHaveLength(1);
    const saved = await readFile(join(dir, 'quarantine', quarantined[0]!));
    expect(saved.equals(original.subarray(fourLines.length))).toBe(true);
    // Opening again is quiet and the next write takes seq 5.
    const again = await openCollecting(dir);
    expect(again.warnings).toEqual([]);
    const next = await again.store.apply(
      { path: p('/cats/tabby.jpg'), patch: { add_tags: ['x'] } },
      { actor: 'ana', mutation_id: 'after-torn-1', mode: 'patch' },
    );
    expect(next.record?.seq).toBe(5);
    await again.store.close();
  });

  test.each([
    ['corrupt-middle.jsonl', /labels\.log\.jsonl line 3: crc mismatch .*not a torn write/],
    ['seq-gap.jsonl', /labels\.log\.jsonl line 3: expected seq 3 but found seq 4 .*seq gap/],
  ])('%s: refuses to start, names file and line, changes nothing', async (fixture, message) => {
    const dir = await workspace(fixture);
    const before = await readFile(join(dir, 'labels.log.jsonl'));
    const error = await openError(dir);
    expect(error.code).toBe('corrupt_log');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('lenslet compact --repair');
    expect(error.details).toMatchObject({ file: 'labels.log.jsonl', line: 3 });
    expect((await readFile(join(dir, 'labels.log.jsonl'))).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['labels.log.jsonl']);
    // The lock was released: a second attempt fails the same way (not with workspace_locked).
    expect((await openError(dir)).code).toBe('corrupt_log');
  });

  test('an unreadable snapshot is set aside and rebuilt when the log starts at seq 1', async () => {
    const dir = await workspace('good.jsonl', 'truncated.snapshot.json');
    const { store, warnings } = await openCollecting(dir);
    expect(store.head()).toBe(5);
    expect(store.get(p('/cats/tabby.jpg')).tags).toEqual(['cute']);
    expect(warnings.join('\n')).toMatch(
      /labels\.snapshot\.json was unreadable \(the file is truncated.*moved to quarantine\//,
    );
    const [saved] = await readdir(join(dir, 'quarantine'));
    expect(await readFile(join(dir, 'quarantine', saved!))).toEqual(
      await readFile(join(FIXTURES, 'truncated.snapshot.json')),
    );
    await store.close();
  });

  test('an unreadable snapshot without the older history refuses to start', async () => {
    const dir = await workspace('starts-at-3.jsonl', 'truncated.snapshot.json');
    const error = await openError(dir);
    expect(error.code).toBe('corrupt_snapshot');
    expect(error.message).toMatch(/labels\.snapshot\.json is unreadable .* before seq 3/);
  });

  test('a missing snapshot with the older history gone refuses to start', async () => {
    const error = await openError(await workspace('starts-at-3.jsonl'));
    expect(error.code).toBe('corrupt_snapshot');
    expect(error.message).toContain('labels.snapshot.json is missing and the log starts at seq 3');
  });
});
