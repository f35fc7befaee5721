import type { CanonicalPath, Labels } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import { CHUNK_BYTES } from '../log/line-reader.ts';
import { CrashFs } from '../testing/crash-fs.ts';
import { readKeySection } from './snapshot-key-section.ts';
import { loadSnapshot } from './snapshot-reader.ts';
import { SnapshotWriter } from './snapshot-writer.ts';

const PATH = '/snap.json';
const SEED = 12_345;
const header = {
  format: 'lenslet.snapshot.v1',
  log_id: 'log-1',
  seq: 9_000,
  log_offset: 0,
  created_at: '2026-01-01T00:00:00.000Z',
};

const labels: Labels = {
  star: 3,
  tags: ['a'],
  notes: '',
  metrics: {},
  version: 2,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'ana',
  field_versions: { star: 2, notes: 0, tags: 2 },
};

/** Keys in the written form and not (non-ASCII, escapes), a bulk key over several paths. */
const keys: IdempotencyEntry[] = Array.from({ length: 400 }, (_, i) => ({
  key: i === 7 ? 'ключ-7' : i % 50 === 3 ? `k"${i}\\` : i >= 390 ? 'bulk-key' : `key-${i}`,
  mode: i >= 390 ? 'bulk' : i % 3 ? 'patch' : 'metrics',
  path: (i % 11 === 0 ? `/dir/café-${i}.jpg` : `/dir/item-${i}.jpg`) as CanonicalPath,
  fp: i >= 390 ? 'bulk:1' : `patch:${i}`,
  seq: 8_000 + i,
  at_ms: 1_767_225_600_000 + i,
}));

async function writeSnapshot(fs: CrashFs, items: number, entries: IdempotencyEntry[]) {
  const handle = await fs.open(PATH, 'w');
  const writer = new SnapshotWriter(handle, header);
  for (let i = 0; i < items; i++) await writer.item(`/dir/item-${i}.jpg` as CanonicalPath, labels);
  for (const entry of entries) await writer.idempotency(entry);
  await writer.finish();
  await handle.close();
}

/** What a table says of each key as stored, of a changed request and of an unknown key. */
function verdicts(table: IdempotencyTable, entries: IdempotencyEntry[]) {
  return entries.flatMap((e) => [
    table.check(e.key, e.mode, e.path, e.fp),
    table.check(e.key, e.mode, e.path, `${e.fp}-other`),
    table.check(e.key, e.mode, '/dir/elsewhere.jpg' as CanonicalPath, e.fp),
    table.check(`${e.key}-unknown`, e.mode, e.path, e.fp),
  ]);
}

test('the key section read on its own gives the table loadSnapshot gives, at any chunk size', async () => {
  const fs = new CrashFs();
  await writeSnapshot(fs, 300, keys);
  const loaded = await loadSnapshot(fs, PATH);
  if (!loaded?.ok) throw new Error('not loaded');
  const ordinary = new IdempotencyTable(() => null, SEED);
  loaded.value.idempotency.addTo(ordinary);
  const expected = verdicts(ordinary, keys);
  // Every stored key is a retry of its own seq (the check itself is tested elsewhere).
  expect(expected.filter((v) => v.kind === 'retry')).toHaveLength(keys.length);
  // Chunk edges everywhere, also inside the `},"idempotency":[` line the section is found by.
  for (const chunk of [5, 17, 64, 1000, CHUNK_BYTES]) {
    const result = await readKeySection(fs, { path: PATH, seed: SEED }, chunk);
    if (!result.ok) throw new Error(`chunk ${chunk}: ${result.problem}`);
    const { state, ok, ...section } = result;
    expect([chunk, ok, section]).toEqual([chunk, true, loaded.value.keySection]);
    const adopted = new IdempotencyTable(() => null, SEED);
    adopted.adopt(state);
    expect(adopted.size).toBe(keys.length);
    expect(verdicts(adopted, keys)).toEqual(expected);
  }
  // Loaded with `skipKeys`, the lines are counted and located, not read.
  const skipped = await loadSnapshot(fs, PATH, true);
  if (!skipped?.ok) throw new Error('not loaded');
  expect(skipped.value.keysSkipped).toBe(true);
  expect(skipped.value.idempotency.length).toBe(0);
  expect(skipped.value.keySection).toEqual(loaded.value.keySection);
  expect(skipped.value.keySection.lines).toBe(keys.length);
});

test('a snapshot without keys has an empty section', async () => {
  const fs = new CrashFs();
  await writeSnapshot(fs, 3, []);
  const result = await readKeySection(fs, { path: PATH, seed: SEED });
  const loaded = await loadSnapshot(fs, PATH, true);
  if (!result.ok || !loaded?.ok) throw new Error('not read');
  expect(result.lines).toBe(0);
  expect(result.bytes).toBe(0);
  expect({ ...result, state: undefined }).toEqual({
    ok: true,
    ...loaded.value.keySection,
    state: undefined,
  });
});

test('a key line the general reader refuses, or a missing end line, is not read', async () => {
  const fs = new CrashFs();
  await writeSnapshot(fs, 10, keys.slice(0, 20));
  const bytes = Buffer.from((await fs.readFile(PATH))!);
  const rewrite = async (data: Buffer) => {
    const handle = await fs.open(PATH, 'w');
    await handle.write(data, 0);
    await handle.close();
  };
  const at = bytes.indexOf('"patch"', bytes.indexOf('"idempotency"'));
  const damaged = Buffer.from(bytes);
  damaged.write('"pitch"', at, 'latin1');
  await rewrite(damaged);
  expect(await readKeySection(fs, { path: PATH, seed: SEED })).toEqual({
    ok: false,
    problem: 'an idempotency line is malformed',
  });
  await rewrite(bytes.subarray(0, bytes.lastIndexOf('],"end"')));
  expect(await readKeySection(fs, { path: PATH, seed: SEED })).toMatchObject({ ok: false });
});

test('a table adopts only an empty state made with its own seed', () => {
  const built = new IdempotencyTable(() => null, SEED);
  built.add(keys[0]!);
  expect(() => new IdempotencyTable(() => null, SEED + 1).adopt(built.exportState())).toThrow();
  const used = new IdempotencyTable(() => null, SEED);
  used.add(keys[1]!);
  expect(() => used.adopt(built.exportState())).toThrow();
});
