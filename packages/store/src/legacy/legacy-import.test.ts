import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { crashDisk, deadHolders, p } from '../testing/test-support.ts';

const FIXTURES = fileURLToPath(
  new URL('../../../../test/fixtures/legacy-workspace/', import.meta.url),
);
let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

async function legacyWorkspace(name: string): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'lenslet-legacy-'));
  const dir = join(root, '.lenslet');
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

describe('importing a workspace of the original Lenslet', () => {
  test('Gen A/B: snapshot v1 + log, with the original replay rule', async () => {
    const dir = await legacyWorkspace('gen-ab');
    const warnings: string[] = [];
    const store = await openJsonlStore(dir, { onWarning: (w) => warnings.push(w) });
    expect(store.imported).toBe(4);
    // Ids continue the original's: its last event id was 12 (the line with the unusable path).
    expect(store.head()).toBe(12);
    expect(store.get(p('/animals/cat.jpg'))).toMatchObject({
      star: 5,
      tags: ['cute', 'warm'],
      notes: 'golden hour',
      version: 4,
      updated_at: '2026-02-02T10:00:00.000Z',
      updated_by: 'web',
    });
    expect(store.get(p('/animals/bird.jpg'))).toMatchObject({
      tags: ['café'],
      version: 2,
      updated_by: 'x-client-7',
    });
    expect(store.get(p('/animals/dog.png'))).toMatchObject({
      metrics: { score: 0.95 },
      updated_by: 'server',
    });
    // Cleared back to defaults after edits: kept at its version, by its author (the original
    // kept such an item too).
    expect(store.get(p('/animals/empty.jpg'))).toMatchObject({
      star: null,
      tags: [],
      notes: '',
      version: 4,
      updated_at: '2026-02-01T08:00:00.000Z',
      updated_by: 'web',
    });
    // One record per item, oldest update first, numbered up to the original's last id, with
    // legacy-import mutation ids.
    const records = (
      await Promise.all([...store.items().keys()].map((path) => store.history(path)))
    ).flat();
    expect(
      records.sort((a, b) => a.seq - b.seq).map((r) => [r.seq, r.path, r.mutation_id, r.at]),
    ).toEqual([
      [9, '/animals/empty.jpg', 'legacy-import:9', '2026-02-01T08:00:00.000Z'],
      [10, '/animals/cat.jpg', 'legacy-import:10', '2026-02-02T10:00:00.000Z'],
      [11, '/animals/bird.jpg', 'legacy-import:11', '2026-02-02T11:30:00.250Z'],
      [12, '/animals/dog.png', 'legacy-import:12', '2026-02-03T07:00:00.000Z'],
    ]);
    expect(warnings).toEqual([
      'legacy import: skipped log line 7 is not JSON',
      'legacy import: skipped log line 8: the path "/animals/../etc/passwd" is not usable',
      'imported 4 labeled items from an original Lenslet workspace (seqs 9–12; its last event id was 12); its files are kept in legacy/',
    ]);
    await store.close();
    // The original files are kept byte for byte; nothing is imported twice.
    for (const name of ['labels.log.jsonl', 'labels.snapshot.json']) {
      expect(await readFile(join(dir, 'legacy', name))).toEqual(
        await readFile(join(FIXTURES, 'gen-ab', name)),
      );
    }
    const again = await openJsonlStore(dir, { onWarning: (w) => warnings.push(w) });
    expect(again.imported).toBe(0);
    expect(again.head()).toBe(12);
    await again.close();
  });

  test('Gen C: snapshot v2 with mutations, mutation metadata, torn last line; other files untouched', async () => {
    const dir = await legacyWorkspace('gen-c');
    const store = await openJsonlStore(dir, { onWarning: () => {} });
    expect(store.imported).toBe(2);
    expect(store.get(p('/a/one.jpg'))).toMatchObject({
      star: 5,
      tags: ['x', 'y'],
      version: 3,
      updated_by: 'session:1a2b3c4d',
      updated_at: '2026-07-20T09:00:00.000Z',
    });
    expect(store.get(p('/a/two.jpg'))).toMatchObject({
      notes: 'two — keep',
      updated_by: 'session:99ffee00',
    });
    await store.close();
    expect(await readFile(join(dir, 'views.json'))).toEqual(
      await readFile(join(FIXTURES, 'gen-c/views.json')),
    );
    expect(await readdir(join(dir, 'thumbs/ab'))).toEqual(['ab12.webp']);
  });

  test('a log without a snapshot is imported too', async () => {
    const store = await openJsonlStore(await legacyWorkspace('log-only'), { onWarning: () => {} });
    expect(store.imported).toBe(1);
    expect(store.get(p('/x.jpg')).tags).toEqual(['solo']);
    await store.close();
  });

  test('a crash at any point of the import resumes it on the next open, never losing the original', async () => {
    const files = ['labels.log.jsonl', 'labels.snapshot.json'];
    const originals = await Promise.all(files.map((n) => readFile(join(FIXTURES, 'gen-ab', n))));
    for (let freeze = 1; ; freeze++) {
      const disk = await crashDisk();
      await disk.mkdir('/ws/.lenslet');
      for (const [i, name] of files.entries()) {
        const handle = await disk.open(`/ws/.lenslet/${name}`, 'w');
        await handle.write(originals[i]!, 0);
        await handle.datasync();
      }
      await disk.syncDir('/ws/.lenslet');
      await disk.syncDir('/ws');
      const open = () =>
        openJsonlStore('/ws/.lenslet', {
          fs: disk.session(),
          probe: deadHolders,
          onWarning: () => {},
        });
      disk.freezeAfter(freeze);
      const first = await open().catch(() => null);
      const finished =
        first !== null &&
        (await first.close().then(
          () => !disk.frozen,
          () => false,
        ));
      if (finished) {
        expect(freeze).toBeGreaterThan(10);
        break;
      }
      disk.crash({ names: freeze % 2 ? 'durable' : 'volatile' });
      const store = await open();
      expect(store.head(), `crash after ${freeze} calls`).toBe(12);
      expect(store.get(p('/animals/cat.jpg')).star).toBe(5);
      await store.close();
      // The original files survive somewhere: in legacy/ (or, before the move, in place).
      for (const [i, name] of files.entries()) {
        const kept =
          (await disk.readFile(`/ws/.lenslet/legacy/${name}`)) ??
          (await disk.readFile(`/ws/.lenslet/${name}`));
        expect(kept && Buffer.from(kept).equals(originals[i]!), `${name} after ${freeze}`).toBe(
          true,
        );
      }
    }
  });
});
