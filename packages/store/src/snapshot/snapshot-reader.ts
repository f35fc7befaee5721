/**
 * Reading snapshot files through the filesystem port: streamed line by line (never one giant
 * string), the crc and the counts checked on the way in. The writing half is snapshot-writer.ts.
 */
import { crc32 } from 'node:zlib';
import type { CanonicalPath, Labels } from '@lenslet/core';
import type { IdempotencyEntry } from '../index/idempotency.ts';
import { fileChunks, wholeLines } from '../log/line-reader.ts';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import { type ItemSink, readCanonicalItemLine } from './canonical-snapshot-lines.ts';
import {
  ITEMS_END_LINE,
  type Parsed,
  parseEndLine,
  parseHeader,
  parseIdempotencyLine,
  parseItem,
  type SnapshotHeader,
} from './snapshot-codec.ts';
import type { KeySection } from './snapshot-key-section.ts';
import { SnapshotKeys } from './snapshot-keys.ts';

export type SnapshotVisitor = {
  header?(header: SnapshotHeader): void;
  /**
   * Fast path for the item line that starts at buf[start] (whole lines up to `limit`): the index
   * of the line's "\n" once it is taken, or -1 to have it passed to `item` instead.
   */
  itemLine?(buf: Buffer, start: number, limit: number): number;
  /** One item line, buf[start, end), exactly as stored (without the separating comma). Throw to reject it. */
  item?(buf: Buffer, start: number, end: number): void | Promise<void>;
  idempotency?(entry: IdempotencyEntry): void | Promise<void>;
  /**
   * One idempotency line, buf[start, end) (no comma), taken as it is when this returns true (it is
   * then neither parsed nor passed to `idempotency`); false: parse it as usual.
   */
  idempotencyLine?(buf: Buffer, start: number, end: number): boolean;
  /** Where the key lines were (called once the whole file checked out, before resolving). */
  keySection?(section: KeySection): void;
};

/**
 * Stream a snapshot file through `visit`. Resolves null when the file does not exist, otherwise
 * the header or the reason the file is unreadable.
 */
export async function scanSnapshot(
  fs: FsPort,
  path: string,
  visit: SnapshotVisitor,
): Promise<Parsed<SnapshotHeader> | null> {
  let handle: FsHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  const fail = (problem: string): Parsed<SnapshotHeader> => ({ ok: false, problem });
  try {
    const size = await handle.size();
    let stage: 'header' | 'items' | 'idempotency' | 'done' = 'header';
    let header: SnapshotHeader | null = null;
    let crc = 0;
    let items = 0;
    let entries = 0;
    /** File offset of the batch's first byte; where the key lines start, and their crc. */
    let base = 0;
    let keysFrom = -1;
    let keysCrc = 0;
    let keySection: KeySection | null = null;
    for await (const { buf, partial } of wholeLines(fileChunks(handle, 0, size))) {
      if (partial) return fail('the file ends in the middle of a line (truncated)');
      // The lines of a batch are contiguous: one crc call covers them all (up to the end line).
      let crcDone = false;
      let pos = 0;
      /** Where this batch's key lines start (when the section is asked for). */
      let batchKeys = stage === 'idempotency' && visit.keySection ? 0 : -1;
      while (pos < buf.length) {
        if (stage === 'items' && visit.itemLine) {
          const newline = visit.itemLine(buf, pos, buf.length);
          if (newline !== -1) {
            items += 1;
            pos = newline + 1;
            continue;
          }
        }
        const start = pos;
        const end = buf.indexOf(0x0a, pos);
        pos = end + 1;
        if (stage === 'done') return fail('there is data after the end line');
        if (stage === 'idempotency' && buf[start] === 0x5d) {
          crc = crc32(buf.subarray(0, start), crc);
          crcDone = true;
          if (batchKeys !== -1) keysCrc = crc32(buf.subarray(batchKeys, start), keysCrc);
          batchKeys = -1;
          const parsed = parseEndLine(buf.toString('utf8', start, end));
          if (!parsed.ok) return fail(parsed.problem);
          const { value } = parsed;
          if (value.crc !== (crc >>> 0).toString(16).padStart(8, '0'))
            return fail('crc mismatch: the file is damaged');
          if (value.items !== items || value.idempotency !== entries)
            return fail('item count mismatch: the file is damaged');
          stage = 'done';
          keySection = {
            offset: keysFrom,
            bytes: base + start - keysFrom,
            lines: entries,
            crc: keysCrc,
          };
          continue;
        }
        // Lines between items end with a comma; it is not part of the item.
        const textEnd = buf[end - 1] === 0x2c ? end - 1 : end;
        if (stage === 'header') {
          const parsed = parseHeader(buf.toString('utf8', start, end));
          if (!parsed.ok) return fail(parsed.problem);
          header = parsed.value;
          visit.header?.(header);
          stage = 'items';
        } else if (stage === 'items') {
          if (
            end - start === ITEMS_END_LINE.length &&
            buf.toString('latin1', start, end) === ITEMS_END_LINE
          ) {
            stage = 'idempotency';
            keysFrom = base + pos;
            if (visit.keySection) batchKeys = pos;
            continue;
          }
          if (visit.item) {
            try {
              const pending = visit.item(buf, start, textEnd);
              if (pending) await pending;
            } catch (error) {
              return fail((error as Error).message);
            }
          }
          items += 1;
        } else if (visit.idempotencyLine?.(buf, start, textEnd)) {
          entries += 1;
        } else if (visit.idempotency) {
          const parsed = parseIdempotencyLine(buf.toString('utf8', start, textEnd));
          if (!parsed.ok) return fail(parsed.problem);
          const pending = visit.idempotency(parsed.value);
          if (pending) await pending;
          entries += 1;
        } else {
          entries += 1;
        }
      }
      if (!crcDone && stage !== 'done') crc = crc32(buf, crc);
      if (batchKeys !== -1) keysCrc = crc32(buf.subarray(batchKeys), keysCrc);
      base += buf.length;
    }
    if (stage !== 'done' || !header) return fail('the file is truncated (no end line)');
    if (keySection) visit.keySection?.(keySection);
    return { ok: true, value: header };
  } finally {
    await handle.close();
  }
}

export type LoadedSnapshot = {
  readonly header: SnapshotHeader;
  readonly items: Map<CanonicalPath, Labels>;
  /** The newest `updated_at` among the items (the time of the snapshot's last record), if any. */
  readonly latestUpdate: string | null;
  /** The key lines, or none when they were only counted (`skipKeys`). */
  readonly idempotency: SnapshotKeys;
  /** Where the key lines are, read or not. */
  readonly keySection: KeySection;
  /** The key lines were counted, not read: their content is unchecked (the crc covers them). */
  readonly keysSkipped: boolean;
};

/**
 * Load a whole snapshot into memory; null when absent. With `skipKeys` the key lines are only
 * counted (and covered by the crc): another thread reads them (snapshot-key-section.ts).
 */
export async function loadSnapshot(
  fs: FsPort,
  path: string,
  skipKeys = false,
): Promise<Parsed<LoadedSnapshot> | null> {
  const items = new Map<CanonicalPath, Labels>();
  const sink: ItemSink = { items, latestUpdate: null };
  const idempotency = new SnapshotKeys();
  let keySection: KeySection = { offset: 0, bytes: 0, lines: 0, crc: 0 };
  const result = await scanSnapshot(fs, path, {
    itemLine: (buf, start, limit) => readCanonicalItemLine(buf, start, limit, sink),
    item(buf, start, end) {
      const parsed = parseItem(buf, start, end);
      if (!parsed.ok) throw new Error(parsed.problem);
      const [path, labels] = parsed.value;
      items.set(path, labels);
      const at = labels.updated_at;
      if (at !== null && (sink.latestUpdate === null || at > sink.latestUpdate)) {
        sink.latestUpdate = at;
      }
    },
    idempotencyLine: skipKeys
      ? () => true
      : (buf, start, end) => idempotency.addLine(buf, start, end),
    idempotency: (entry) => {
      idempotency.addEntry(entry);
    },
    keySection: (section) => {
      keySection = section;
    },
  });
  if (result === null || !result.ok) return result;
  return {
    ok: true,
    value: {
      header: result.value,
      items,
      latestUpdate: sink.latestUpdate,
      idempotency,
      keySection,
      keysSkipped: skipKeys,
    },
  };
}

/** Just the header line of a snapshot (cheap), or null when absent or unreadable. */
export async function readSnapshotHeader(fs: FsPort, path: string): Promise<SnapshotHeader | null> {
  let handle: FsHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = await handle.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl === -1) return null;
    const parsed = parseHeader(buf.toString('utf8', 0, nl));
    return parsed.ok ? parsed.value : null;
  } finally {
    await handle.close();
  }
}
