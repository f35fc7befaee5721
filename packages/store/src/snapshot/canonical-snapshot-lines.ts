/**
 * Fast readers of snapshot lines in exactly the form snapshot-codec.ts writes them: an item line
 * (`"<path>":[star,tags,notes,metrics,version,updated_at,updated_by,fv…]`) read byte by byte into
 * its labels, and an idempotency line (`[key,mode,path,fp,seq,at_ms]`) checked without building
 * its strings (the JSONL store only hashes them). They apply the same checks as the general
 * readers in snapshot-codec.ts; any other line — valid or not — gives null / false and the caller
 * takes the general path (JSON.parse), so what is accepted and what it decodes to do not depend
 * on the path taken (property-tested in canonical-snapshot-lines.test.ts).
 */
import type { CanonicalPath, Labels } from '@lenslet/core';
import type { AsciiKeyLookup } from '../index/idempotency.ts';
import {
  asciiRange,
  begin,
  byte,
  bytes,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  digits,
  finished,
  fits,
  latin1,
  metricMap,
  OPEN_BRACKET,
  position,
  range,
  sharedTagList,
  sharedText,
  skipByte,
  skipLiteral,
  skipNull,
  star,
  text,
} from '../log/canonical-bytes.ts';
import { fieldVersions } from '../log/interner.ts';
import { WRITE_MODES, type WriteMode } from '../port/label-store.ts';
import { EMPTY_ITEM_METRICS, EMPTY_TAGS } from './item-labels.ts';

const EMPTY_METRICS = bytes('{}');

/** The item line buf[start, end) (no trailing comma) as [path, labels], or null. */
export function readCanonicalItem(
  buf: Buffer,
  start: number,
  end: number,
): [CanonicalPath, Labels] | null {
  begin(buf, start, end);
  const labels = itemFields();
  return labels !== null && finished() ? [itemPath as CanonicalPath, labels] : null;
}

/**
 * The item line that starts at buf[start] and ends with "\n" (or ",\n") before `limit`, put
 * into `into` when it is in the written form; returns the index of its "\n", or -1 (nothing
 * put: take the general path with the line's own bounds). Finds the line's end by reading it,
 * with no separate search for the newline.
 */
export function readCanonicalItemLine(
  buf: Buffer,
  start: number,
  limit: number,
  into: ItemSink,
): number {
  begin(buf, start, limit);
  const labels = itemFields();
  if (labels === null) return -1;
  skipByte(COMMA);
  const newline = position();
  if (!fits() || newline >= limit || buf[newline] !== NEWLINE) return -1;
  into.items.set(itemPath as CanonicalPath, labels);
  const at = labels.updated_at;
  if (at !== null && (into.latestUpdate === null || at > into.latestUpdate)) into.latestUpdate = at;
  return newline;
}

/** Where item lines go: the map, and the newest `updated_at` among them (kept on the way in). */
export type ItemSink = {
  readonly items: Map<CanonicalPath, Labels>;
  latestUpdate: string | null;
};

const NEWLINE = 0x0a;
/** The path `itemFields` read last. */
let itemPath = '';

/** `"<path>":[…]` from the cursor: the labels (path in `itemPath`), or null; stops after `]`. */
function itemFields(): Labels | null {
  itemPath = text();
  byte(COLON);
  byte(OPEN_BRACKET);
  const stars = star();
  byte(COMMA);
  const tags = sharedTagList();
  byte(COMMA);
  const notes = text();
  byte(COMMA);
  const metrics = skipLiteral(EMPTY_METRICS) ? null : metricMap(false);
  byte(COMMA);
  const version = digits();
  byte(COMMA);
  const updatedAt = skipNull() ? null : text();
  byte(COMMA);
  const updatedBy = skipNull() ? null : sharedText();
  byte(COMMA);
  const fvStar = digits();
  byte(COMMA);
  const fvNotes = digits();
  byte(COMMA);
  const fvTags = digits();
  byte(CLOSE_BRACKET);
  if (!fits() || version < 1 || itemPath.charCodeAt(0) !== 0x2f) return null;
  // Tags, names and version triples are shared already; the object as `toLabels` builds it.
  return {
    star: stars,
    tags: tags.length === 0 ? EMPTY_TAGS : tags,
    notes,
    metrics: metrics === null ? EMPTY_ITEM_METRICS : (metrics as Record<string, number>),
    version,
    updated_at: updatedAt,
    updated_by: updatedBy,
    field_versions: fieldVersions(fvStar, fvNotes, fvTags),
  };
}

const MODE_BYTES: readonly [Uint8Array, WriteMode][] = WRITE_MODES.map((mode) => [
  bytes(`"${mode}"`),
  mode,
]);

/**
 * What `readCanonicalKeyLine` found: the key, path and fp as printable-ASCII bytes
 * buf[from, to), the mode, seq and time.
 */
export const keyLine = {
  keyFrom: 0,
  keyTo: 0,
  pathFrom: 0,
  pathTo: 0,
  fpFrom: 0,
  fpTo: 0,
  mode: 'patch' as WriteMode,
  seq: 0,
  atMs: 0,
};

/**
 * Whether the idempotency line buf[start, end) (no trailing comma) is in the written form with
 * printable-ASCII strings; if so its fields are in `keyLine` until the next call.
 */
export function readCanonicalKeyLine(buf: Buffer, start: number, end: number): boolean {
  begin(buf, start, end);
  byte(OPEN_BRACKET);
  asciiRange();
  keyLine.keyFrom = range.from;
  keyLine.keyTo = range.to;
  byte(COMMA);
  let mode: WriteMode | null = null;
  for (const [text, name] of MODE_BYTES) {
    if (skipLiteral(text)) {
      mode = name;
      break;
    }
  }
  if (mode === null) return false;
  keyLine.mode = mode;
  byte(COMMA);
  asciiRange();
  keyLine.pathFrom = range.from;
  keyLine.pathTo = range.to;
  byte(COMMA);
  asciiRange();
  keyLine.fpFrom = range.from;
  keyLine.fpTo = range.to;
  byte(COMMA);
  keyLine.seq = digits();
  byte(COMMA);
  keyLine.atMs = digits();
  byte(CLOSE_BRACKET);
  return finished();
}

/** Hand the key line `readCanonicalKeyLine` just read from `buf` to `lookup`, from its bytes. */
export function addKeyLine(lookup: AsciiKeyLookup, buf: Uint8Array): void {
  const k = keyLine;
  lookup.addAscii(
    buf,
    k.keyFrom,
    k.keyTo,
    k.pathFrom,
    k.pathTo,
    k.fpFrom,
    k.fpTo,
    k.mode,
    k.seq,
    k.atMs,
  );
}

/** The bytes of `keyLine`'s key, path and fp as strings (for indexes that keep strings). */
export function keyLineStrings(buf: Buffer): { key: string; path: string; fp: string } {
  return {
    key: latin1(buf, keyLine.keyFrom, keyLine.keyTo),
    path: latin1(buf, keyLine.pathFrom, keyLine.pathTo),
    fp: latin1(buf, keyLine.fpFrom, keyLine.fpTo),
  };
}
