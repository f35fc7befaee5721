/**
 * Snapshots, rotation and archiving of an open store. One maintenance job runs at a time.
 *
 * Compaction protocol (each step durable before the next; recovery finishes any prefix of it):
 *   1. under the write lock: fdatasync the live log, rename it to labels.<from>-<to>.jsonl,
 *      create a new empty live log, fsync the directory (writes wait only for this step);
 *   2. off the main thread: gzip the segment into archive/…jsonl.gz.tmp + …idx.tmp, fdatasync;
 *      rename both into place, fsync archive/;
 *   3. off the main thread: a snapshot at the segment's last seq (temp, fdatasync, rename,
 *      fsync the directory);
 *   4. delete the segment, fsync the directory.
 * History is never deleted: archives stay until the user removes them.
 */
import { LensletError } from '@lenslet/core';
import { decodeIndexFile, encodeIndexFile } from '../index/index-file.ts';
import { decodeLineBytes } from '../log/jsonl-codec.ts';
import { readArchiveIndex } from '../log/log-source.ts';
import { allFiles, type StoreCore } from '../log/open-log.ts';
import { errorCode } from '../port/fs-port.ts';
import type { SnapshotSource } from '../snapshot/snapshot-build.ts';
import { SNAPSHOT_FORMAT, type SnapshotHeader } from '../snapshot/snapshot-codec.ts';
import {
  ARCHIVE_DIR,
  archiveIndexName,
  archiveName,
  LOG_FILE,
  LOG_INDEX_FILE,
  SNAPSHOT_FILE,
  segmentName,
} from '../workspace/layout.ts';
import { readRange } from '../workspace/quarantine.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';

/** Turn a worker error back into a LensletError when it carries one of our codes. */
export function fromWorker(error: unknown): unknown {
  const code = errorCode(error);
  if (code === 'corrupt_log' || code === 'corrupt_snapshot') {
    return new LensletError(code, (error as Error).message);
  }
  return error;
}

/** Take a snapshot at the durable head (no-op when the snapshot is already there). */
export async function takeSnapshot(core: StoreCore): Promise<SnapshotHeader | null> {
  let seq = core.head();
  let ackOffset = core.live.bytes;
  if (core.options.durability === 'relaxed') {
    await core.writer.exclusive(async ({ sync }) => {
      seq = core.head();
      ackOffset = core.live.bytes;
      await sync();
    });
  }
  const baseSeq = core.snapshot?.seq ?? 0;
  if (seq <= baseSeq) return null;
  const sources: SnapshotSource[] = [];
  for (const file of allFiles(core)) {
    if (file.to < baseSeq + 1 || file.from > seq) continue;
    const inside = baseSeq + 1 > file.from ? core.index.offsetOf(baseSeq + 1) : null;
    const end = file.kind === 'live' ? ackOffset : Number.MAX_SAFE_INTEGER;
    sources.push({ file: { ...file }, start: inside ?? 0, end });
  }
  const now = core.options.clock();
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    log_id: core.log_id,
    seq,
    log_offset: seq >= core.live.from ? ackOffset : 0,
    created_at: now.toISOString(),
  };
  const out = `${SNAPSHOT_FILE}.tmp`;
  try {
    await core.runner.run('snapshot', {
      dir: core.dir,
      base: core.snapshot ? { name: SNAPSHOT_FILE, seq: baseSeq } : null,
      sources: sources.map((s) => ({ ...s, end: Math.min(s.end, Number.MAX_SAFE_INTEGER) })),
      seq,
      log_offset: header.log_offset,
      log_id: core.log_id,
      created_at: header.created_at,
      now_ms: now.getTime(),
      out,
    });
  } catch (error) {
    await core.fs.unlink(`${core.dir}/${out}`).catch(() => {});
    throw fromWorker(error);
  }
  await core.fs.rename(`${core.dir}/${out}`, `${core.dir}/${SNAPSHOT_FILE}`);
  await core.fs.syncDir(core.dir);
  core.snapshot = header;
  return header;
}

/** Step 1: rotate the live log into a segment. Resolves the segment and the stall, or null. */
export async function rotate(
  core: StoreCore,
): Promise<{ segment: ImmutableFile; stallMs: number } | null> {
  const { fs, dir } = core;
  return core.writer.exclusive(async ({ sync }) => {
    const started = performance.now();
    const live = core.live;
    if (live.to < live.from) return null;
    await sync();
    const name = segmentName(live.from, live.to);
    core.epoch += 1;
    core.moving = true;
    await fs.rename(`${dir}/${LOG_FILE}`, `${dir}/${name}`);
    try {
      const handle = await fs.open(`${dir}/${LOG_FILE}`, 'wx');
      try {
        await handle.datasync();
        // One directory holds both names, so this one fsync makes the rotation atomic.
        await fs.syncDir(dir);
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
      await core.writer.swap(`${dir}/${LOG_FILE}`, handle, 0);
    } catch (error) {
      // Put the log back so writes keep going to the file recovery will read.
      await fs.unlink(`${dir}/${LOG_FILE}`).catch(() => {});
      await fs.rename(`${dir}/${name}`, `${dir}/${LOG_FILE}`);
      await fs.syncDir(dir).catch(() => {});
      throw error;
    } finally {
      core.moving = false;
    }
    const segment: ImmutableFile = { kind: 'segment', name, from: live.from, to: live.to };
    core.history = [...core.history, segment];
    core.live = { kind: 'live', name: LOG_FILE, from: live.to + 1, to: live.to, bytes: 0 };
    core.epoch += 1;
    return { segment, stallMs: performance.now() - started };
  });
}

/** Steps 2–4 for every segment still waiting (also the ones a crash left behind). */
export async function archiveSegments(core: StoreCore): Promise<ImmutableFile[]> {
  const { fs, dir } = core;
  const done: ImmutableFile[] = [];
  for (const segment of core.history.filter((f) => f.kind === 'segment')) {
    await fs.mkdir(`${dir}/${ARCHIVE_DIR}`);
    await fs.syncDir(dir);
    const archive: ImmutableFile = {
      kind: 'archive',
      name: `${ARCHIVE_DIR}/${archiveName(segment.from, segment.to)}`,
      index_name: `${ARCHIVE_DIR}/${archiveIndexName(segment.from, segment.to)}`,
      from: segment.from,
      to: segment.to,
    };
    const complete = await readArchiveIndex(fs, dir, archive);
    if (!complete || !(await fs.stat(`${dir}/${archive.name}`))) {
      const job = await archiveToTemp(core, segment, archive);
      await fs.rename(`${dir}/${job.out_idx}`, `${dir}/${archive.index_name}`);
      await fs.rename(`${dir}/${job.out_gz}`, `${dir}/${archive.name}`);
      await fs.syncDir(`${dir}/${ARCHIVE_DIR}`);
    }
    core.history = core.history.map((f) => (f === segment ? archive : f));
    core.reader.forget(segment.name);
    core.epoch += 1;
    if ((core.snapshot?.seq ?? 0) < segment.to) await takeSnapshot(core);
    await fs.unlink(`${dir}/${segment.name}`);
    await fs.syncDir(dir);
    done.push(archive);
  }
  return done;
}

/**
 * Run the archive job: `source` (a segment, or an archive read back) gzipped and indexed into
 * `<archive name>.tmp` and `<index name>.tmp`, which the caller renames into place. A failed job
 * leaves no temp file behind.
 */
async function archiveToTemp(
  core: StoreCore,
  source: ImmutableFile,
  archive: Extract<ImmutableFile, { kind: 'archive' }>,
) {
  const { fs, dir } = core;
  const job = {
    dir,
    source,
    out_gz: `${archive.name}.tmp`,
    out_idx: `${archive.index_name}.tmp`,
  };
  try {
    await core.runner.run('archive', job);
  } catch (error) {
    await fs.unlink(`${dir}/${job.out_gz}`).catch(() => {});
    await fs.unlink(`${dir}/${job.out_idx}`).catch(() => {});
    throw fromWorker(error);
  }
  return job;
}

/** An archive whose index file is lost: write it again (block by block) from its own content. */
async function rebuildArchiveIndex(
  core: StoreCore,
  archive: Extract<ImmutableFile, { kind: 'archive' }>,
) {
  const { fs, dir } = core;
  core.warn(`${archive.index_name} is missing or damaged; rebuilding it from ${archive.name}`);
  const job = await archiveToTemp(core, archive, archive);
  await fs.rename(`${dir}/${job.out_idx}`, `${dir}/${archive.index_name}`);
  core.epoch += 1;
  await fs.rename(`${dir}/${job.out_gz}`, `${dir}/${archive.name}`);
  await fs.syncDir(`${dir}/${ARCHIVE_DIR}`);
  core.reader.forget(archive.name);
  const index = await readArchiveIndex(fs, dir, archive);
  if (!index) throw new Error(`could not rebuild ${archive.index_name}`);
  return index;
}

/** Bytes of the log files and the snapshot. */
export async function workspaceBytes(core: StoreCore): Promise<number> {
  let total = 0;
  for (const name of [SNAPSHOT_FILE, LOG_FILE, ...core.history.map((f) => f.name)]) {
    total += (await core.fs.stat(`${core.dir}/${name}`))?.size ?? 0;
  }
  for (const file of core.history) {
    if (file.kind === 'archive')
      total += (await core.fs.stat(`${core.dir}/${file.index_name}`))?.size ?? 0;
  }
  return total;
}

/**
 * Fill the history index for seqs below `tailFrom` (recovery indexed only the tail): archive
 * index files, the saved index of the live log, and scans for what neither covers.
 */
export async function completeIndex(core: StoreCore, tailFrom: number): Promise<void> {
  const { fs, dir, index } = core;
  for (const file of core.history) {
    if (file.from >= tailFrom || index.covers(file.from, Math.min(file.to, tailFrom - 1))) continue;
    if (file.kind === 'archive') {
      const loaded =
        (await readArchiveIndex(fs, dir, file)) ?? (await rebuildArchiveIndex(core, file));
      index.load(file.from, loaded.offsets, loaded.hashes);
      core.reader.rememberIndex(file.name, loaded);
      continue;
    }
    await scanInto(core, file, file.from, 0, file.to);
  }
  const live = core.live;
  const last = Math.min(tailFrom - 1, live.to);
  if (last < live.from || index.covers(live.from, last)) return;
  let from = live.from;
  let start = 0;
  const saved = await loadLiveIndex(core);
  if (saved && saved.to >= live.from) {
    const upto = Math.min(saved.to, last);
    index.load(
      live.from,
      saved.offsets.subarray(0, upto - live.from + 1),
      saved.hashes.subarray(0, upto - live.from + 1),
    );
    from = upto + 1;
    start = upto === saved.to ? saved.covered_bytes : (index.offsetOf(from) ?? 0);
  }
  if (from <= last) await scanInto(core, live, from, start, last);
}

async function scanInto(
  core: StoreCore,
  file: ImmutableFile | StoreCore['live'],
  from: number,
  start: number,
  to: number,
) {
  const result = await core.runner.run('scan', {
    dir: core.dir,
    file: { ...file },
    from_seq: from,
    start: from === file.from ? 0 : start,
    to_seq: to,
  });
  core.index.load(result.from_seq, result.offsets, result.hashes);
}

/** `labels.log.idx` when it matches the live log (first seq, and the line at its last offset). */
async function loadLiveIndex(core: StoreCore) {
  const data = await core.fs.readFile(`${core.dir}/${LOG_INDEX_FILE}`);
  const saved = data && decodeIndexFile(data);
  if (!saved || saved.from !== core.live.from || saved.to < saved.from) return null;
  if (saved.covered_bytes > core.live.bytes) return null;
  const lastOffset = saved.offsets[saved.offsets.length - 1]!;
  const head = await readRange(core.fs, `${core.dir}/${LOG_FILE}`, lastOffset, 64 * 1024);
  const nl = head.indexOf(0x0a);
  const decoded = nl > 0 ? decodeLineBytes(head, 0, nl, 0) : null;
  return decoded?.ok && decoded.record.seq === saved.to ? saved : null;
}

/** Save the live log's history index (derived data; best effort, at clean close). */
export async function saveLiveIndex(core: StoreCore): Promise<void> {
  const live = core.live;
  if (live.to < live.from || !core.index.covers(live.from, live.to)) return;
  const { offsets, hashes } = core.index.slice(live.from, live.to);
  const data = encodeIndexFile({
    from: live.from,
    to: live.to,
    covered_bytes: live.bytes,
    blocks: [],
    offsets,
    hashes,
  });
  const tmp = `${core.dir}/${LOG_INDEX_FILE}.tmp`;
  const handle = await core.fs.open(tmp, 'w');
  try {
    await handle.write(data, 0);
  } finally {
    await handle.close();
  }
  await core.fs.rename(tmp, `${core.dir}/${LOG_INDEX_FILE}`);
}

/** Is the error a missing file (a race with cleanup)? */
export function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}
