/**
 * Byte format of `labels.snapshot.json` (pinned in docs/format.md). Pure. The file is one valid
 * JSON object, written one item per line so it can be streamed in and out:
 *
 *   {"format":"lenslet.snapshot.v1","log_id":"…","seq":N,"log_offset":B,"created_at":"…","items":{
 *   "/a.jpg":{"star":4,"tags":["x"],"notes":"","metrics":{},"version":3,"updated_at":"…","updated_by":"ana","field_versions":{"star":3,"notes":0,"tags":2}},
 *   "/b.jpg":{…}
 *   },"idempotency":[
 *   {"key":"…","mode":"patch","path":"/a.jpg","fp":"…","seq":12,"at_ms":1767225600000},
 *   {…}
 *   ],"end":{"items":2,"idempotency":2,"crc":"1a2b3c4d"}}
 *
 * `crc` is CRC-32 of every byte before the `],"end"` line; `items`/`idempotency` are the counts.
 * A file that is truncated, fails its crc or count, or has a malformed line is unreadable.
 */
import type { CanonicalPath, Labels } from '@lenslet/core';
import type { IdempotencyEntry } from './idempotency.ts';
import type { WriteMode } from './store.ts';

export const SNAPSHOT_FORMAT = 'lenslet.snapshot.v1';
export const ITEMS_END_LINE = '},"idempotency":[';

export type SnapshotHeader = {
  readonly format: string;
  readonly log_id: string;
  /** Every record with seq ≤ this is folded into `items`. */
  readonly seq: number;
  /** Byte offset in the live log right after record `seq` (a hint; 0 when unknown). */
  readonly log_offset: number;
  readonly created_at: string;
};

const str = JSON.stringify;

export function headerLine(h: SnapshotHeader): string {
  return `{"format":${str(h.format)},"log_id":${str(h.log_id)},"seq":${h.seq},"log_offset":${h.log_offset},"created_at":${str(h.created_at)},"items":{`;
}

export function itemLine(path: CanonicalPath, l: Labels): string {
  const fv = l.field_versions;
  return `${str(path)}:{"star":${l.star},"tags":${str(l.tags)},"notes":${str(l.notes)},"metrics":${str(l.metrics)},"version":${l.version},"updated_at":${str(l.updated_at)},"updated_by":${str(l.updated_by)},"field_versions":{"star":${fv.star},"notes":${fv.notes},"tags":${fv.tags}}}`;
}

export function idempotencyLine(e: IdempotencyEntry): string {
  return `{"key":${str(e.key)},"mode":${str(e.mode)},"path":${str(e.path)},"fp":${str(e.fp)},"seq":${e.seq},"at_ms":${e.at_ms}}`;
}

export function endLine(items: number, idempotency: number, crc: string): string {
  return `],"end":{"items":${items},"idempotency":${idempotency},"crc":"${crc}"}}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

export function parseHeader(line: string): Parsed<SnapshotHeader> {
  if (!line.endsWith('"items":{')) return bad('the first line is not a snapshot header');
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(`${line.slice(0, -'"items":{'.length)}"_":0}`);
  } catch {
    return bad('the header is not valid JSON');
  }
  if (h.format !== SNAPSHOT_FORMAT) return bad(`unknown snapshot format ${str(h.format)}`);
  if (typeof h.log_id !== 'string' || h.log_id === '') return bad('the header has no log_id');
  if (!isCount(h.seq) || !isCount(h.log_offset))
    return bad('the header has a bad seq or log_offset');
  if (typeof h.created_at !== 'string') return bad('the header has no created_at');
  return {
    ok: true,
    value: {
      format: h.format,
      log_id: h.log_id,
      seq: h.seq,
      log_offset: h.log_offset,
      created_at: h.created_at,
    },
  };
}

const ITEM_SEPARATOR = '":{"star":';
const EMPTY_TAGS: readonly string[] = Object.freeze([]);
const EMPTY_METRICS: Readonly<Record<string, number>> = Object.freeze({});

/** `"<path>":{labels}` with an optional trailing comma. */
export function parseItemLine(line: string): Parsed<[CanonicalPath, Labels]> {
  const text = line.charCodeAt(line.length - 1) === 0x2c ? line.slice(0, -1) : line;
  // A raw `":{"star":` can only be the end of the key: inside a JSON string every quote is escaped.
  const sep = text.indexOf(ITEM_SEPARATOR);
  if (sep < 1 || text[0] !== '"') return bad('not an item line');
  let path: unknown;
  let value: Record<string, unknown>;
  try {
    path = itemKey(text, sep);
    value = JSON.parse(text.slice(sep + 2));
  } catch {
    return bad('an item line is not valid JSON');
  }
  if (typeof path !== 'string' || !path.startsWith('/')) return bad('an item has a bad path');
  const problem = labelsProblem(value);
  if (problem) return bad(`item ${str(path)}: ${problem}`);
  const labels = value as unknown as { -readonly [K in keyof Labels]: Labels[K] };
  if (labels.tags.length === 0) labels.tags = EMPTY_TAGS;
  if (isEmptyObject(labels.metrics)) labels.metrics = EMPTY_METRICS;
  return { ok: true, value: [path as CanonicalPath, labels] };
}

/** The path of an item line (throws on a malformed key). `sep`: index of `":{"star":` if known. */
export function itemKey(line: string, sep = line.indexOf(ITEM_SEPARATOR)): string {
  if (sep < 1 || line[0] !== '"') throw new Error('not an item line');
  const key = line.slice(1, sep);
  return key.includes('\\') ? (JSON.parse(`"${key}"`) as string) : key;
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function labelsProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'labels are not an object';
  const l = v as Record<string, unknown>;
  if (l.star !== null && !(isCount(l.star) && l.star <= 5)) return 'bad star';
  const tags = l.tags;
  if (!Array.isArray(tags)) return 'bad tags';
  for (let i = 0; i < tags.length; i++) if (typeof tags[i] !== 'string') return 'bad tags';
  if (typeof l.notes !== 'string') return 'bad notes';
  const m = l.metrics as Record<string, unknown>;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'bad metrics';
  for (const name in m) if (!Number.isFinite(m[name])) return 'bad metric value';
  if (!isCount(l.version) || l.version < 1) return 'bad version';
  if (typeof l.updated_at !== 'string' && l.updated_at !== null) return 'bad updated_at';
  if (typeof l.updated_by !== 'string' && l.updated_by !== null) return 'bad updated_by';
  const fv = l.field_versions as Record<string, unknown> | null;
  if (
    typeof fv !== 'object' ||
    fv === null ||
    !isCount(fv.star) ||
    !isCount(fv.notes) ||
    !isCount(fv.tags)
  )
    return 'bad field_versions';
  return null;
}

const MODES = new Set<WriteMode>(['patch', 'put', 'bulk', 'metrics']);

/** `{key, mode, path, fp, seq, at_ms}` with an optional trailing comma. */
export function parseIdempotencyLine(line: string): Parsed<IdempotencyEntry> {
  const text = line.endsWith(',') ? line.slice(0, -1) : line;
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(text);
  } catch {
    return bad('an idempotency line is not valid JSON');
  }
  if (
    typeof e?.key !== 'string' ||
    !MODES.has(e.mode as WriteMode) ||
    typeof e.path !== 'string' ||
    typeof e.fp !== 'string' ||
    !isCount(e.seq) ||
    !isCount(e.at_ms)
  ) {
    return bad('an idempotency line is malformed');
  }
  return { ok: true, value: e as unknown as IdempotencyEntry };
}

export function parseEndLine(
  line: string,
): Parsed<{ items: number; idempotency: number; crc: string }> {
  if (!line.startsWith('],"end":')) return bad('the end line is missing');
  try {
    const end = JSON.parse(`{${line.slice(2, -1)}}`).end as Record<string, unknown>;
    if (isCount(end.items) && isCount(end.idempotency) && typeof end.crc === 'string') {
      return { ok: true, value: { items: end.items, idempotency: end.idempotency, crc: end.crc } };
    }
  } catch {}
  return bad('the end line is malformed');
}
