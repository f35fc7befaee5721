// `lenslet replay` next to a server that compacts (issue 12): the compactor renames the live log
// and deletes the segment it archived while the reader reads. Every read must come back whole and
// right (or as a one-line error), never as a raw ENOENT.
import { project } from '@lenslet/core';
import { expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import type { FsPort } from '../port/fs-port.ts';
import type { CrashFs } from '../testing/crash-fs.ts';
import { crashDisk, deadHolders, meta, p } from '../testing/test-support.ts';
import { verifyWorkspace } from './verify.ts';
import { openWorkspaceReader } from './workspace-reader.ts';

const DIR = '/ws/.lenslet';

async function server(disk: CrashFs) {
  const store = await openJsonlStore(DIR, {
    fs: disk.session(),
    probe: deadHolders,
    compact_above_bytes: 0,
    history_check: false,
    onWarning: () => {},
  });
  let n = 0;
  const write = async (count: number) => {
    for (let i = 0; i < count; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, () => {
          n += 1;
          return store.apply(
            { path: p(`/img${n % 13}.jpg`), patch: { add_tags: [`t${n}`] } },
            meta(),
          );
        }),
      );
    }
  };
  return { store, write };
}

/** The disk as the reader sees it, with `before(path)` run before each open for reading. */
function watched(disk: CrashFs, before: (path: string) => Promise<void>): FsPort {
  return {
    open: async (path, mode) => {
      if (mode === 'r') await before(path);
      return disk.open(path, mode);
    },
    readFile: (path) => disk.readFile(path),
    stat: (path) => disk.stat(path),
    readdir: (path) => disk.readdir(path),
    mkdir: (path) => disk.mkdir(path),
    rename: (from, to) => disk.rename(from, to),
    link: (from, to) => disk.link(from, to),
    unlink: (path) => disk.unlink(path),
    syncDir: (path) => disk.syncDir(path),
  };
}

test('the live log is rotated and archived just as replay opens it: replay reads the archive', async () => {
  const disk = await crashDisk();
  const { store, write } = await server(disk);
  await write(200);
  await store.snapshot();
  await write(100);
  let compacted = 0;
  let snapshotRead = false;
  const fs = watched(disk, async (path) => {
    if (path.endsWith('/labels.snapshot.json')) snapshotRead = true;
    // The snapshot (seq 200) is loaded and the file list taken: now the live log goes away.
    if (path.endsWith('/labels.log.jsonl') && snapshotRead && compacted === 0) {
      compacted += 1;
      await store.compact();
      await write(20);
    }
  });
  const reader = await openWorkspaceReader(DIR, { fs });
  const state = await reader.stateAt({});
  expect(compacted).toBe(1);
  expect(state.seq).toBe(320);
  expect(new Map(state.items)).toEqual(new Map(store.items()));
  await store.close();
});

test('reads and verify stay right while compactions keep moving files', async () => {
  const disk = await crashDisk();
  const { store, write } = await server(disk);
  await write(150);
  let opens = 0;
  let compactions = 0;
  let nextAt = 5;
  const fs = watched(disk, async () => {
    opens += 1;
    // Now and then, further apart as the reads open more files (one file per archive).
    if (opens === nextAt) {
      nextAt = Math.ceil(nextAt * 1.6) + 3;
      compactions += 1;
      await write(10);
      await store.compact();
    }
  });
  const reader = await openWorkspaceReader(DIR, { fs });
  for (let round = 0; round < 8; round++) {
    const records = [];
    for await (const { record } of store.replay(0)) records.push(record);
    const until = 1 + ((round * 37) % 140);
    const state = await reader.stateAt({ seq: until });
    expect(state.seq).toBe(until);
    expect(new Map(state.items)).toEqual(new Map(project(records.slice(0, until)).items));
    const history = await reader.historyOf(p('/img5.jpg'));
    const now = [];
    for await (const { record } of store.replay(0)) now.push(record);
    // The history as of some moment during the read: every record of the image up to its last.
    expect(history.map((r) => r.seq)).toEqual(
      now.filter((r) => r.path === '/img5.jpg' && r.seq <= history.at(-1)!.seq).map((r) => r.seq),
    );
  }
  const before = compactions;
  nextAt = opens + 3;
  const report = await verifyWorkspace(reader, fs);
  expect(compactions).toBeGreaterThan(before);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  expect(opens).toBeGreaterThan(10);
  await store.close();
});

test('a workspace that never stops changing: one line, not a raw filesystem error', async () => {
  const disk = await crashDisk();
  const { store, write } = await server(disk);
  await write(50);
  const fs = watched(disk, async () => {
    await write(10);
    await store.compact();
  });
  const reader = await openWorkspaceReader(DIR, { fs });
  await expect(reader.stateAt({})).rejects.toMatchObject({
    code: 'compaction_in_progress',
    message: expect.stringMatching(/kept changing while they were read/),
  });
  await store.close();
});

test('verify while the server keeps appending: both folds end at the same seq, no false problem', async () => {
  const disk = await crashDisk();
  const { store, write } = await server(disk);
  await write(100);
  await store.snapshot();
  await write(50);
  // Every file the reader opens, the server has appended more records meanwhile.
  const fs = watched(disk, () => write(10));
  const reader = await openWorkspaceReader(DIR, { fs });
  const report = await verifyWorkspace(reader, fs);
  expect(report.problems).toEqual([]);
  expect(report.checks).toContain(
    'the state a server recovers (snapshot + tail) equals the full fold',
  );
  expect(report.head).toBeGreaterThan(150);
  expect(store.head()).toBeGreaterThan(report.head);
  await store.close();
});
