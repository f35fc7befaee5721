import { mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import type { JsonlStore } from '../jsonl/jsonl-store.ts';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import type { JsonlStoreOptions } from '../jsonl/options.ts';
import { FILE_HEADER } from '../log/group-frame.ts';
import { nodeFs } from '../port/node-fs.ts';
import { FaultInjector } from '../testing/faults.ts';
import { testWorker } from '../testing/test-bundles.ts';
import { meta, p } from '../testing/test-support.ts';

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

async function open(options: JsonlStoreOptions = {}): Promise<{ dir: string; store: JsonlStore }> {
  root ??= await mkdtemp(join(tmpdir(), 'lenslet-compact-'));
  const dir = join(root, '.lenslet');
  const store = await openJsonlStore(dir, {
    worker: await testWorker(),
    onWarning: () => {},
    ...options,
  });
  return { dir, store };
}

async function write(store: JsonlStore, count: number, start = 0) {
  for (let i = start; i < start + count; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, start + count - i) }, (_, j) =>
        store.apply(
          { path: p(`/img${(i + j) % 13}.jpg`), patch: { add_tags: [`t${i + j}`] } },
          meta(),
        ),
      ),
    );
  }
}

/** Wait (up to 20 s on a busy machine) until `check` holds. */
async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('compaction (real disk, worker thread)', () => {
  test('rotates, archives losslessly, snapshots, keeps every record readable', async () => {
    const { dir, store } = await open();
    await write(store, 300);
    const live = await readFile(join(dir, 'labels.log.jsonl'));
    const report = await store.compact();
    expect(report).toMatchObject({
      from_seq: 1,
      to_seq: 300,
      archive: 'archive/labels.000000000001-000000000300.jsonl.gz',
    });
    expect(report.bytes_after).toBeLessThan(report.bytes_before);
    expect(report.longest_stall_ms).toBeGreaterThan(0);
    // zcat of the archive gives back the rotated log byte for byte.
    const archive = await readFile(join(dir, 'archive/labels.000000000001-000000000300.jsonl.gz'));
    expect(gunzipSync(archive).equals(live)).toBe(true);
    expect((await readdir(dir)).filter((n) => /^labels\.\d{12}/.test(n))).toEqual([]);
    // The new live log holds only its header frame (docs/format.md, "Group frames").
    expect(store.status()).toMatchObject({
      snapshot_seq: 300,
      log_bytes: FILE_HEADER.length,
      oldest_seq: 1,
    });
    expect(await readFile(join(dir, 'labels.log.jsonl'))).toEqual(FILE_HEADER);
    // Reads reach into the archive.
    const history = await store.history(p('/img5.jpg'));
    expect(history).toHaveLength(Math.ceil((300 - 5) / 13));
    expect(history.at(-1)?.seq).toBe(6);
    await write(store, 20, 300);
    const replayed: number[] = [];
    for await (const { record } of store.replay(0)) replayed.push(record.seq);
    expect(replayed).toEqual(Array.from({ length: 320 }, (_, i) => i + 1));
    const at150 = await store.stateAt(150);
    expect(at150.seq).toBe(150);
    expect(at150.items.get(p('/img0.jpg'))?.tags.length).toBe(12);
    await store.close();

    const reopened = await open();
    expect(reopened.store.head()).toBe(320);
    expect((await reopened.store.history(p('/img5.jpg'), { limit: 3 })).map((r) => r.seq)).toEqual([
      318, 305, 292,
    ]);
    expect((await reopened.store.history(p('/img5.jpg'))).at(-1)?.seq).toBe(6);
    await reopened.store.close();
  });

  test('writes keep flowing while a compaction runs', async () => {
    const { store } = await open();
    await write(store, 200);
    const compaction = store.compact();
    await write(store, 100, 200);
    const report = await compaction;
    expect(report.to_seq).toBeGreaterThanOrEqual(200);
    expect(store.head()).toBe(300);
    await expect(store.compact()).resolves.toMatchObject({ to_seq: 300 });
    const all: number[] = [];
    for await (const { record } of store.replay(0)) all.push(record.seq);
    expect(all).toHaveLength(300);
    await store.close();
  });

  test('a second compaction while one runs is refused with compaction_in_progress', async () => {
    const { store } = await open();
    await write(store, 50);
    const first = store.compact();
    await expect(store.compact()).rejects.toMatchObject({ code: 'compaction_in_progress' });
    await first;
    await store.close();
  });

  test('periodic snapshots and automatic compaction happen by themselves', async () => {
    const { dir, store } = await open({ snapshot_every_records: 40, compact_above_bytes: 30_000 });
    await write(store, 100);
    await eventually(() => store.status().snapshot_seq >= 40);
    await write(store, 200, 100);
    await eventually(async () =>
      (await readdir(join(dir, 'archive')).catch(() => [])).some((n) => n.endsWith('.jsonl.gz')),
    );
    await store.close();
  });

  test('a compaction interrupted after the rotation is finished on the next open', async () => {
    const faults = new FaultInjector();
    const { dir, store } = await open({ fs: faults.wrap(nodeFs()), worker: null });
    await write(store, 60);
    faults.fail({ op: 'rename', code: 'EIO', path: '.jsonl.gz.tmp' });
    await expect(store.compact()).rejects.toThrow(/EIO/);
    expect((await readdir(dir)).filter((n) => /^labels\.\d{12}/.test(n))).toEqual([
      'labels.000000000001-000000000060.jsonl',
    ]);
    await write(store, 5, 60);
    await store.close();
    faults.clear();
    const reopened = await open();
    expect(reopened.store.head()).toBe(65);
    await eventually(async () => !(await readdir(dir)).some((n) => /^labels\.\d{12}/.test(n)));
    expect(await readdir(join(dir, 'archive'))).toEqual([
      'labels.000000000001-000000000060.idx',
      'labels.000000000001-000000000060.jsonl.gz',
    ]);
    expect((await reopened.store.history(p('/img1.jpg'))).at(-1)?.seq).toBe(2);
    await reopened.store.close();
  });

  test('a lost archive index is rebuilt from the archive itself', async () => {
    const { dir, store } = await open();
    await write(store, 120);
    await store.compact();
    await store.close();
    await unlink(join(dir, 'archive/labels.000000000001-000000000120.idx'));
    const warnings: string[] = [];
    const reopened = await open({ onWarning: (w) => warnings.push(w) });
    expect((await reopened.store.history(p('/img3.jpg'))).map((r) => r.seq).at(-1)).toBe(4);
    expect(warnings.join('\n')).toContain(
      'labels.000000000001-000000000120.idx is missing or damaged; rebuilding it',
    );
    await reopened.store.close();
    expect(await readdir(join(dir, 'archive'))).toContain('labels.000000000001-000000000120.idx');
  });

  test('a clean close leaves a snapshot at the head, so the next open folds nothing', async () => {
    const { dir, store } = await open();
    await write(store, 75);
    await store.close();
    const snapshot = await readFile(join(dir, 'labels.snapshot.json'), 'utf8');
    expect(snapshot.split('\n')[0]).toMatch(
      /^\{"format":"lenslet\.snapshot\.v1","log_id":"[^"]+","seq":75,/,
    );
    expect(() => JSON.parse(snapshot)).not.toThrow();
    const reopened = await open();
    expect(reopened.store.status().snapshot_seq).toBe(75);
    expect(reopened.store.head()).toBe(75);
    await reopened.store.close();
  });
});
