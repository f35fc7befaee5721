import type { CanonicalPath, Labels } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import { CHUNK_BYTES } from '../log/line-reader.ts';
import { CrashFs } from '../testing/crash-fs.ts';
import { itemLine } from './snapshot-codec.ts';
import { loadSnapshot } from './snapshot-reader.ts';
import { SnapshotWriter } from './snapshot-writer.ts';

const PATH = '/snap.json';
const header = {
  format: 'lenslet.snapshot.v1',
  log_id: 'log-1',
  seq: 90_000,
  log_offset: 0,
  created_at: '2026-01-01T00:00:00.000Z',
};

function labelsOf(i: number): Labels {
  return {
    star: i % 6 === 5 ? null : i % 6,
    tags: i % 3 === 0 ? [] : [`tag-${i % 5}`],
    notes: i % 7 === 0 ? `note ${i} é "quoted"` : '',
    metrics: i % 4 === 0 ? { score: i / 8 } : {},
    version: 2 + (i % 9),
    updated_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    updated_by: `user${i % 4}`,
    field_versions: { star: i % 3, notes: 0, tags: i % 2 },
  };
}

/** A snapshot bigger than one read chunk: lines are split across chunks and batches. */
async function writeSnapshot(fs: CrashFs, items: number, keys: IdempotencyEntry[]) {
  const handle = await fs.open(PATH, 'w');
  const writer = new SnapshotWriter(handle, header);
  for (let i = 0; i < items; i++)
    await writer.item(`/dir/item-${i}.jpg` as CanonicalPath, labelsOf(i));
  for (const entry of keys) await writer.idempotency(entry);
  await writer.finish();
  await handle.close();
  return (await fs.readFile(PATH))!;
}

const keys: IdempotencyEntry[] = Array.from({ length: 3000 }, (_, i) => ({
  key: i === 7 ? 'ключ-7' : `key-${i}`,
  mode: i % 2 ? 'patch' : 'bulk',
  path: `/dir/item-${i}.jpg` as CanonicalPath,
  fp: `patch:${i}`,
  seq: 80_000 + i,
  at_ms: 1_767_225_600_000 + i,
}));

test('a snapshot larger than a read chunk loads every item and key, in order', async () => {
  const fs = new CrashFs();
  const items = 60_000;
  const bytes = await writeSnapshot(fs, items, keys);
  expect(bytes.length).toBeGreaterThan(CHUNK_BYTES);
  const loaded = await loadSnapshot(fs, PATH);
  if (!loaded?.ok) throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
  expect(loaded.value.header).toEqual(header);
  expect(loaded.value.items.size).toBe(items);
  for (const i of [0, 1, 7, 29_999, items - 1]) {
    const labels = loaded.value.items.get(`/dir/item-${i}.jpg` as CanonicalPath);
    expect(itemLine(`/x` as CanonicalPath, labels!)).toBe(
      itemLine(`/x` as CanonicalPath, labelsOf(i)),
    );
  }
  expect(loaded.value.idempotency.length).toBe(keys.length);
  expect(loaded.value.idempotency.entries()).toEqual(keys);
  // The newest updated_at is kept on the way in (recovery's last record time).
  expect(loaded.value.latestUpdate).toBe(labelsOf(items - 1).updated_at);
});

test('one changed byte anywhere before the end line, on either side of a chunk edge, fails the crc', async () => {
  const fs = new CrashFs();
  const bytes = Buffer.from(await writeSnapshot(fs, 60_000, keys));
  const endLine = bytes.lastIndexOf('\n],"end"');
  // A digit of a timestamp in the first chunk, just before / on / after the chunk edge, in a key.
  const digitNear = (at: number) => {
    for (let i = at; ; i++)
      if (bytes[i]! >= 0x30 && bytes[i]! <= 0x38 && bytes[i - 1] === 0x3a) return i;
  };
  const spots = [
    digitNear(5000),
    digitNear(CHUNK_BYTES - 40),
    digitNear(CHUNK_BYTES),
    digitNear(endLine - 60),
  ];
  for (const at of spots) {
    const damaged = Buffer.from(bytes);
    damaged[at] = damaged[at]! + 1;
    const handle = await fs.open(PATH, 'w');
    await handle.write(damaged, 0);
    await handle.close();
    expect([at, await loadSnapshot(fs, PATH)]).toEqual([
      at,
      { ok: false, problem: 'crc mismatch: the file is damaged' },
    ]);
  }
});
