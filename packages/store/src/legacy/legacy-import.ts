/**
 * Importing a workspace written by the original (Python) Lenslet. Same file names, its own format:
 * it is recognised by content (docs/format.md, "Legacy import"), never called corrupt. Steps, each
 * durable before the next, so a crash at any point resumes on the next open:
 *   1. move its labels.log.jsonl / labels.snapshot.json into legacy/ (renames, fsync);
 *   2. fold them with the original's replay rule; each labeled item's latest state becomes one
 *      record (actor and time from its updated_by / updated_at, mutation_id `legacy-import:<seq>`),
 *      in order of time, numbered so the ids continue the original's (below); its stored PATCH
 *      answers go to legacy/answers.json;
 *   3. write labels.meta.json with the log's first seq (from here on the workspace is ours);
 *   4. write the records to a temp log, fdatasync, rename it to labels.log.jsonl.
 * A crash after 3 and before 4 leaves a meta file and no log: the next open imports again (no
 * write can have been acknowledged without the log).
 *
 * Numbering: the original's open tabs resume from its event ids. The M records take the seqs
 * base+1 … base+M over the empty state, with base the smallest number such that
 *   - base + M ≥ the original's last event id (new events get ids it never used), and
 *   - every item's record seq ≥ the id of the event that gave it its state,
 * so a tab that saw the original's events up to id k is replayed every item changed after k (and
 * at most some items it already had); at the original's last id it is replayed nothing.
 */
import { createHash } from 'node:crypto';
import type { CanonicalPath, Change, LabelRecord } from '@lenslet/core';
import { encodeRecord } from '../log/jsonl-codec.ts';
import { errorCode, type FsPort } from '../port/fs-port.ts';
import {
  ARCHIVE_DIR,
  LEGACY_DIR,
  LOG_FILE,
  META_FILE,
  SNAPSHOT_FILE,
} from '../workspace/layout.ts';
import { readMeta, writeMeta } from '../workspace/meta.ts';
import { writeLegacyAnswers } from './legacy-answers.ts';
import {
  foldLegacy,
  isLegacyLine,
  isLegacySnapshot,
  type LegacyItem,
  toRecordTime,
} from './legacy-format.ts';

const LEGACY_ACTOR = 'legacy-import';

async function readText(fs: FsPort, path: string): Promise<string | null> {
  const data = await fs.readFile(path);
  return data && Buffer.from(data).toString('utf8');
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first `length` bytes of a file as text ('' when absent). */
async function head(fs: FsPort, path: string, length: number): Promise<string> {
  const handle = await fs.open(path, 'r').catch(() => null);
  if (!handle) return '';
  try {
    const buf = Buffer.alloc(length);
    const n = await handle.read(buf, 0, length, 0);
    return buf.toString('utf8', 0, n);
  } finally {
    await handle.close();
  }
}

/** Do the label files look like the original's? Only their beginnings are read. */
async function looksLegacy(fs: FsPort, dir: string): Promise<boolean> {
  const first = (await head(fs, `${dir}/${LOG_FILE}`, 64 * 1024))
    .split('\n')
    .find((line) => line.trim() !== '');
  if (first !== undefined) return isLegacyLine(parseJson(first));
  // No log lines: decide by the snapshot (ours starts with {"format":…, the original's does not).
  const snapshotHead = await head(fs, `${dir}/${SNAPSHOT_FILE}`, 256);
  if (snapshotHead === '' || snapshotHead.startsWith('{"format":')) return false;
  return isLegacySnapshot(parseJson(await readText(fs, `${dir}/${SNAPSHOT_FILE}`)));
}

/**
 * Import an original workspace found in `dir` (the .lenslet directory). Resolves the number of
 * labeled items imported (0 when the directory is not an original workspace).
 */
export async function importLegacyWorkspace(
  fs: FsPort,
  dir: string,
  now: Date,
  warn: (message: string) => void,
): Promise<number> {
  let legacyDir = `${dir}/${LEGACY_DIR}`;
  const moved = await fs.readdir(legacyDir);
  const inLegacy = moved.includes(LOG_FILE) || moved.includes(SNAPSHOT_FILE);
  if (await fs.stat(`${dir}/${META_FILE}`)) {
    if (!(inLegacy && (await unfinished(fs, dir)))) return 0;
  }
  if (await looksLegacy(fs, dir)) {
    if (inLegacy && (await sameFiles(fs, dir, legacyDir))) {
      // A crash left the original files under both names: finish the move.
      for (const name of [LOG_FILE, SNAPSHOT_FILE]) await fs.unlink(`${dir}/${name}`);
      await fs.syncDir(dir);
    } else {
      if (inLegacy) legacyDir = `${legacyDir}/${now.toISOString().replaceAll(':', '-')}`;
      await moveOriginals(fs, dir, legacyDir);
    }
  } else if (!inLegacy || (await fs.stat(`${dir}/${LOG_FILE}`))) {
    return 0;
  }
  const snapshotText = await readText(fs, `${legacyDir}/${SNAPSHOT_FILE}`);
  const snapshot = parseJson(snapshotText);
  if (snapshotText !== null && !isLegacySnapshot(snapshot)) {
    warn(`${LEGACY_DIR}/${SNAPSHOT_FILE} is unreadable; importing from the log alone`);
  }
  const state = foldLegacy(
    isLegacySnapshot(snapshot) ? snapshot : null,
    await readText(fs, `${legacyDir}/${LOG_FILE}`),
  );
  const { records, base } = toRecords(state.items, state.last_event_id, now);
  await writeLegacyAnswers(fs, `${dir}/${LEGACY_DIR}`, state.answers);
  await writeMeta(fs, dir, now, undefined, base + 1);
  const tmp = `${dir}/${LOG_FILE}.import.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    let position = 0;
    for (let i = 0; i < records.length; i += 4096) {
      const chunk = Buffer.from(
        records
          .slice(i, i + 4096)
          .map((r) => `${encodeRecord(r)}\n`)
          .join(''),
      );
      await handle.write(chunk, position);
      position += chunk.length;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, `${dir}/${LOG_FILE}`);
  await fs.syncDir(dir);
  for (const problem of state.skipped.slice(0, 20)) warn(`legacy import: skipped ${problem}`);
  if (state.skipped.length > 20)
    warn(`legacy import: skipped ${state.skipped.length - 20} more entries`);
  const seqs = records.length > 0 ? `seqs ${base + 1}–${base + records.length}` : 'no records';
  warn(
    `imported ${records.length} labeled items from an original Lenslet workspace (${seqs}; its last event id was ${state.last_event_id}); its files are kept in ${LEGACY_DIR}/`,
  );
  return records.length;
}

/**
 * Did an import stop between its meta file and its log (step 3 → 4)? Then the workspace holds
 * no other label file at all: every open creates the live log, a compaction leaves a segment or
 * an archive, so nothing was ever written to it and importing again loses nothing.
 */
async function unfinished(fs: FsPort, dir: string): Promise<boolean> {
  if ((await readMeta(fs, dir)) === null) return false;
  const names = await fs.readdir(dir);
  const labels = names.filter((n) => n.startsWith('labels.') && !n.endsWith('.tmp'));
  return labels.length === 1 && (await fs.readdir(`${dir}/${ARCHIVE_DIR}`)).length === 0;
}

/** Move the original's label files into `legacyDir` (renames, both directories synced). */
async function moveOriginals(fs: FsPort, dir: string, legacyDir: string): Promise<void> {
  await fs.mkdir(legacyDir);
  await fs.syncDir(legacyDir.slice(0, legacyDir.lastIndexOf('/')));
  for (const name of [LOG_FILE, SNAPSHOT_FILE]) {
    try {
      await fs.rename(`${dir}/${name}`, `${legacyDir}/${name}`);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
  // The new names first: a crash in between leaves both names, never neither.
  await fs.syncDir(legacyDir);
  await fs.syncDir(dir);
}

/** Do the workspace and legacy/ hold the same label files (an interrupted move)? */
async function sameFiles(fs: FsPort, dir: string, legacyDir: string): Promise<boolean> {
  for (const name of [LOG_FILE, SNAPSHOT_FILE]) {
    const here = await fs.readFile(`${dir}/${name}`);
    const there = await fs.readFile(`${legacyDir}/${name}`);
    if (here === null) continue;
    if (there === null || !Buffer.from(here).equals(Buffer.from(there))) return false;
  }
  return true;
}

/** One record per labeled item, oldest update first (so record times never go backwards). */
function toRecords(
  items: Map<string, LegacyItem>,
  lastEventId: number,
  now: Date,
): { records: LabelRecord[]; base: number } {
  const nowIso = now.toISOString();
  const rows = [...items]
    .map(([path, item]) => ({
      path: path as CanonicalPath,
      item,
      at: toRecordTime(item.updated_at) ?? nowIso,
    }))
    .filter(({ item }) => changesOf(item).length > 0)
    .sort((a, b) => byTime(a.at, b.at) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let base = Math.max(0, lastEventId - rows.length);
  for (const [i, { item }] of rows.entries()) base = Math.max(base, item.event_id - (i + 1));
  const records = rows.map(({ path, item, at }, i) => {
    const seq = base + i + 1;
    const changes = changesOf(item);
    const actor = item.updated_by.trim().slice(0, 256) || LEGACY_ACTOR;
    const digest = createHash('sha256')
      .update(JSON.stringify([path, changes]))
      .digest('hex');
    return {
      v: 1,
      seq,
      at,
      actor,
      path,
      version: Math.max(2, item.version),
      mutation_id: `legacy-import:${seq}`,
      fp: `put:${digest.slice(0, 16)}`,
      changes,
    } satisfies LabelRecord;
  });
  return { records, base };
}

/** Record times in order (microsecond times sort by instant, not by string). */
function byTime(a: string, b: string): number {
  const [ma, mb] = [Date.parse(a), Date.parse(b)];
  if (ma !== mb) return ma - mb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The changes that recreate an item. An item cleared back to defaults after edits (version > 1:
 * the original kept it so) becomes a clear of its star, so it keeps its version and author.
 */
function changesOf(item: LegacyItem): Change[] {
  const changes: Change[] = [];
  if (item.star !== null) changes.push({ kind: 'star_set', star: item.star, from: null });
  if (item.notes !== '') changes.push({ kind: 'notes_set', notes: item.notes, from: '' });
  if (item.tags.length > 0) changes.push({ kind: 'tags_set', tags: item.tags, from: [] });
  const names = Object.keys(item.metrics);
  if (names.length > 0) {
    const from: Record<string, null> = {};
    for (const name of names) from[name] = null;
    changes.push({ kind: 'metrics_set', metrics: item.metrics, from });
  }
  if (changes.length === 0 && item.version > 1) {
    changes.push({ kind: 'star_set', star: null, from: null });
  }
  return changes;
}
