import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { nodeFs } from '../port/node-fs.ts';
import { p, meta as writeMeta } from '../testing/test-support.ts';
import { verifyWorkspace } from '../workspace/verify.ts';
import { openWorkspaceReader } from '../workspace/workspace-reader.ts';
import { readLegacyAnswers } from './legacy-answers.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/legacy-workspace/');
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

const quiet = { onWarning: () => {} };

async function pathsAfter(
  store: Awaited<ReturnType<typeof openJsonlStore>>,
  k: number,
): Promise<string[]> {
  const paths: string[] = [];
  for await (const { record } of store.replay(k)) paths.push(record.path);
  return paths;
}

test('an open tab of the original, resuming from any id it saw, is replayed every item changed after it', async () => {
  // gen-ab: the event that gave each item its state (snapshot last_event_id 5, last id 12).
  const changedAt: Record<string, number> = {
    '/animals/empty.jpg': 5,
    '/animals/cat.jpg': 6,
    '/animals/bird.jpg': 8,
    '/animals/dog.png': 10,
  };
  const store = await openJsonlStore(await legacyWorkspace('gen-ab'), quiet);
  expect(store.head()).toBe(12);
  for (let k = 0; k <= 12; k++) {
    const replayed = await pathsAfter(store, k);
    const missed = Object.keys(changedAt).filter((path) => changedAt[path]! > k);
    expect(replayed, `resume at ${k}`).toEqual(expect.arrayContaining(missed));
  }
  // At the original's head: nothing old.
  expect(await pathsAfter(store, 12)).toEqual([]);
  expect(await pathsAfter(store, 11)).toEqual(['/animals/dog.png']);
  // Nothing was recorded before the import's first seq: the history is whole from there.
  expect(store.status()).toMatchObject({ oldest_seq: 1, origin: 8 });
  expect((await store.stateAt(8)).items.size).toBe(0);
  expect((await store.stateAt(3)).items.size).toBe(0);
  expect([...(await store.stateAt(10)).items.keys()]).toEqual([
    '/animals/empty.jpg',
    '/animals/cat.jpg',
  ]);
  await store.close();
});

test('after an import, writes continue above the original ids through reopen, compaction and verify', async () => {
  const dir = await legacyWorkspace('gen-ab');
  const store = await openJsonlStore(dir, quiet);
  const result = await store.apply(
    { path: p('/animals/cat.jpg'), patch: { add_tags: ['new'] } },
    writeMeta({ mutation_id: 'after-import-1' }),
  );
  expect(result.seq).toBe(13);
  expect((await store.history(p('/animals/cat.jpg'))).map((r) => r.seq)).toEqual([13, 10]);
  await store.compact();
  await store.close();
  expect(JSON.parse(await readFile(join(dir, 'labels.meta.json'), 'utf8'))).toMatchObject({
    first_seq: 9,
  });

  const again = await openJsonlStore(dir, quiet);
  expect(again.head()).toBe(13);
  const seqs: number[] = [];
  for await (const { record } of again.replay(0)) seqs.push(record.seq);
  expect(seqs).toEqual([9, 10, 11, 12, 13]);
  expect(again.get(p('/animals/cat.jpg')).tags).toEqual(['cute', 'warm', 'new']);
  const next = await again.apply(
    { path: p('/animals/bird.jpg'), patch: { set_star: 2 }, expected_version: 2 },
    writeMeta({ mutation_id: 'after-import-2' }),
  );
  expect(next.seq).toBe(14);
  await again.close();

  // lenslet replay: --until a seq, --verify (folds from the log's first seq, both ways).
  const reader = await openWorkspaceReader(dir);
  expect((await reader.stateAt({ seq: 11 })).items.size).toBe(3);
  expect((await reader.stateAt({ seq: 14 })).items.get(p('/animals/bird.jpg'))?.star).toBe(2);
  const report = await verifyWorkspace(reader, nodeFs());
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({ ok: true, head: 14 });
});

test('the stored PATCH answers of the original are kept, durable as its restart made them', async () => {
  const dir = await legacyWorkspace('gen-c');
  const store = await openJsonlStore(dir, quiet);
  // gen-c: snapshot last_event_id 41, log ids 43 and 44 (45 is torn).
  expect(store.head()).toBe(44);
  await store.close();
  const answers = await readLegacyAnswers(nodeFs(), dir);
  expect([...answers.keys()]).toEqual([
    'c0ffee-key-0001',
    'c0ffee-key-0002',
    'put:6b1c1f0e-2a7c-4e41-9a0b-7d1c3f9a2b10',
  ]);
  const epoch = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
  expect(answers.get('c0ffee-key-0002')).toEqual({
    status: 200,
    body: {
      sidecar: expect.objectContaining({ star: 5, tags: ['x', 'y'], version: 3 }),
      mutation_id: 'c0ffee-key-0002',
      accepted_event: { boot_epoch: epoch, event_id: 43 },
      // Stored as "pending" with an older watermark; after a restart the original said saved.
      persistence: 'saved',
      durable_watermark: { boot_epoch: epoch, event_id: 43 },
    },
  });
  expect(answers.get('c0ffee-key-0001')?.body).toMatchObject({
    accepted_event: { event_id: 41 },
    persistence: 'saved',
  });
});

test('an original workspace with no labels left still continues its ids', async () => {
  root = await mkdtemp(join(tmpdir(), 'lenslet-legacy-'));
  const dir = join(root, '.lenslet');
  await mkdir(dir);
  await writeFile(
    join(dir, 'labels.snapshot.json'),
    JSON.stringify({ version: 2, last_event_id: 50, items: {}, mutations: {} }),
  );
  const store = await openJsonlStore(dir, quiet);
  expect(store.head()).toBe(50);
  expect(await pathsAfter(store, 7)).toEqual([]);
  const first = await store.apply(
    { path: p('/new.jpg'), patch: { add_tags: ['new'] } },
    writeMeta({ mutation_id: 'after-empty-import' }),
  );
  expect(first.seq).toBe(51);
  await store.close();
  const again = await openJsonlStore(dir, quiet);
  expect(again.head()).toBe(51);
  expect(await pathsAfter(again, 7)).toEqual(['/new.jpg']);
  await again.close();
});
