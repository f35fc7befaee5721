import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, expect, test } from 'vitest';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import type { FsPort } from '../port/fs-port.ts';
import type { WriteMeta } from '../port/label-store.ts';
import { nodeFs } from '../port/node-fs.ts';
import { readKeySection } from '../snapshot/snapshot-key-section.ts';
import type { CrashFs } from '../testing/crash-fs.ts';
import { testWorker } from '../testing/test-bundles.ts';
import { crashDisk, deadHolders, meta, p } from '../testing/test-support.ts';
import { SNAPSHOT_FILE } from '../workspace/layout.ts';
import { recover } from './recover.ts';
import type { ReadKeys } from './snapshot-keys-off-thread.ts';

const DIR = '/ws/.lenslet';
const quiet = () => {};
type Written = { path: string; tag: string; meta: WriteMeta; seq: number };

/** A workspace whose snapshot (written by the clean close) holds the keys of `count` writes. */
async function workspace(fs: FsPort, dir: string, count: number): Promise<Written[]> {
  const store = await openJsonlStore(dir, {
    fs,
    worker: null,
    probe: deadHolders,
    onWarning: quiet,
  });
  const written: Written[] = [];
  for (let i = 0; i < count; i++) {
    const path = i % 13 === 0 ? `/shoot/café-${i}.jpg` : `/shoot/img-${i}.jpg`;
    const m = meta();
    const tag = `t${i % 7}`;
    const result = await store.apply({ path: p(path), patch: { add_tags: [tag] } }, m);
    written.push({ path, tag, meta: m, seq: result.seq });
  }
  await store.close();
  return written;
}

/** Recover `fs` with the keys read by `readKeys`; what the table then says of every write. */
async function recoverWith(fs: FsPort, written: Written[], readKeys?: ReadKeys) {
  const warnings: string[] = [];
  const idempotency = new IdempotencyTable();
  const context = { fs, dir: DIR, now: new Date(), readOnly: false, ringSize: 100 };
  const recovered = await recover({
    ...context,
    warn: (w) => warnings.push(w),
    idempotency,
    readKeys,
  });
  const verdicts = written.map((w) =>
    idempotency.check(w.meta.mutation_id, 'patch', p(w.path), 'x'),
  );
  return { recovered, warnings, verdicts, size: idempotency.size };
}

test('keys read elsewhere, or read here when that fails, answer as keys read with the items', async () => {
  const disk = await crashDisk();
  const written = await workspace(disk, DIR, 300);
  const plain = await recoverWith(disk, written);
  // The snapshot holds the keys: each write's key, asked for another request, is reused.
  expect(plain.recovered.tailRecords).toBe(0);
  expect(plain.size).toBe(300);
  expect(plain.verdicts.every((v) => v.kind === 'reused')).toBe(true);
  let calls = 0;
  const elsewhere: ReadKeys = (job) => {
    calls += 1;
    return readKeySection(disk, job);
  };
  const failing: ReadKeys = async () => {
    throw new Error('the worker is gone');
  };
  const throwing: ReadKeys = () => {
    throw new Error('no worker could be started');
  };
  const otherSeed: ReadKeys = (job) => readKeySection(disk, { ...job, seed: job.seed + 1 });
  const wrongCrc: ReadKeys = async (job) => {
    const result = await readKeySection(disk, job);
    return result.ok ? { ...result, crc: result.crc ^ 1 } : result;
  };
  for (const readKeys of [elsewhere, failing, throwing, otherSeed, wrongCrc]) {
    const other = await recoverWith(disk, written, readKeys);
    expect(other.size).toBe(300);
    expect(other.verdicts).toEqual(plain.verdicts);
    expect(other.warnings).toEqual([]);
    expect([...other.recovered.state.items]).toEqual([...plain.recovered.state.items]);
  }
  expect(calls).toBe(1);
});

/** The damaged workspace on a fresh crash double (each recovery starts from the same bytes). */
async function copyOf(files: Map<string, Uint8Array>): Promise<CrashFs> {
  const disk = await crashDisk();
  await disk.mkdir(DIR);
  for (const [name, bytes] of files) {
    const handle = await disk.open(`${DIR}/${name}`, 'w');
    await handle.write(bytes, 0);
    await handle.datasync();
    await handle.close();
  }
  await disk.syncDir(DIR);
  return disk;
}

test('a damaged key line under a valid crc is judged as without the worker: snapshot set aside, labels rebuilt', async () => {
  const built = await crashDisk();
  const written = await workspace(built, DIR, 40);
  const path = `${DIR}/${SNAPSHOT_FILE}`;
  const bytes = Buffer.from((await built.readFile(path))!);
  const at = bytes.indexOf('"patch"', bytes.indexOf('"idempotency"'));
  bytes.write('"pitch"', at, 'latin1');
  // Give the damaged file a matching crc: only the key line is wrong.
  const end = bytes.lastIndexOf('],"end"');
  const crc = (crc32(bytes.subarray(0, end)) >>> 0).toString(16).padStart(8, '0');
  const text = bytes.toString('latin1').replace(/"crc":"[0-9a-f]{8}"\}\}\n$/, `"crc":"${crc}"}}\n`);
  const files = new Map<string, Uint8Array>();
  for (const name of await built.readdir(DIR)) {
    const data =
      name === SNAPSHOT_FILE ? Buffer.from(text, 'latin1') : await built.readFile(`${DIR}/${name}`);
    if (data) files.set(name, data);
  }
  const outcomes = [];
  for (const offThread of [false, true]) {
    const disk = await copyOf(files);
    const readKeys: ReadKeys | undefined = offThread
      ? (job) => readKeySection(disk, job)
      : undefined;
    const result = await recoverWith(disk, written, readKeys);
    outcomes.push({
      warnings: result.warnings.map((w) => w.replace(/quarantine\/[^ ]+/, 'quarantine/…')),
      items: [...result.recovered.state.items],
      verdicts: result.verdicts,
      tail: result.recovered.tailRecords,
      // What was set aside: the damaged snapshot, under a name with the time.
      quarantined: await Promise.all(
        (await disk.readdir(`${DIR}/quarantine`)).map(async (name) => [
          name.replace(/^[^Z]+Z-/, ''),
          Buffer.from((await disk.readFile(`${DIR}/quarantine/${name}`))!).toString('latin1'),
        ]),
      ),
    });
  }
  expect(outcomes[0]!.tail).toBe(40);
  expect(outcomes[0]!.quarantined).toEqual([[SNAPSHOT_FILE, text]]);
  expect(outcomes[0]!.warnings).toHaveLength(1);
  expect(outcomes[0]!.warnings[0]).toContain('an idempotency line is malformed');
  expect(outcomes[1]).toEqual(outcomes[0]);
});

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

test('reopened with the worker thread, every write is still answered as a retry', async () => {
  root = await mkdtemp(join(tmpdir(), 'lenslet-keys-'));
  const dir = join(root, '.lenslet');
  const written = await workspace(nodeFs(), dir, 120);
  const store = await openJsonlStore(dir, { worker: await testWorker(), onWarning: quiet });
  try {
    for (const w of written) {
      const again = await store.apply({ path: p(w.path), patch: { add_tags: [w.tag] } }, w.meta);
      expect([again.replayed, again.seq]).toEqual([true, w.seq]);
    }
    expect(store.head()).toBe(120);
  } finally {
    await store.close();
  }
});

test('a worker that cannot start leaves the keys to the main thread', async () => {
  root = await mkdtemp(join(tmpdir(), 'lenslet-keys-'));
  const dir = join(root, '.lenslet');
  const written = await workspace(nodeFs(), dir, 30);
  const worker = { url: new URL('./no-such-worker.mjs', `file://${root}/`) };
  const store = await openJsonlStore(dir, { worker, history_check: false, onWarning: quiet });
  try {
    for (const w of written) {
      const again = await store.apply({ path: p(w.path), patch: { add_tags: [w.tag] } }, w.meta);
      expect([again.replayed, again.seq]).toEqual([true, w.seq]);
    }
  } finally {
    await store.close();
  }
});
