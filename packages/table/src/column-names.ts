/**
 * Name rules for classifying table columns, after the original Lenslet's table mode (see
 * shared/original-api/README.md, "How table columns are classified").
 */

/** Names of the image column, best first (`--path-column` overrides). */
export const PATH_COLUMN_NAMES = [
  'image_path',
  'path',
  'image',
  'filepath',
  'file_path',
  'image_file',
  'file',
  'filename',
  'file_name',
  'img',
  'image_url',
  'url',
  'uri',
  'src',
  'source',
  'location',
];

export const IMAGE_EXTENSION = /\.(jpe?g|png|webp|gif|bmp|tiff?|avif|heic|jxl)$/i;

const BOOKKEEPING_EXACT = new Set([
  'id',
  'index',
  'idx',
  'row',
  'row_id',
  'width',
  'height',
  'w',
  'h',
  'size',
  'bytes',
  'path',
  'url',
  'uri',
  'name',
  'time',
  'timestamp',
  'date',
  'datetime',
  'created',
  'created_at',
  'updated_at',
  'modified',
  'modified_at',
  'mtime',
  'ctime',
  'seed',
]);
const BOOKKEEPING_SUFFIXES = [
  '_count',
  '_id',
  '_idx',
  '_index',
  '_num',
  '_number',
  '_total',
  '_size',
  '_bytes',
  '_width',
  '_height',
  '_path',
  '_url',
  '_uri',
  '_name',
  '_date',
  '_time',
  '_timestamp',
  '_mime',
  '_at',
];
const BOOKKEEPING_PREFIXES = ['count_', 'has_', 'is_', 'num_', 'total_', 'was_'];

/** Why a numeric column is bookkeeping rather than a metric, or null for a metric. */
export function bookkeepingReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (BOOKKEEPING_EXACT.has(lower)) return `bookkeeping name "${lower}"`;
  const suffix = BOOKKEEPING_SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix) return `bookkeeping suffix "${suffix}"`;
  const prefix = BOOKKEEPING_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `bookkeeping prefix "${prefix}"`;
  return null;
}

const TEXT_NAMES = [
  'id',
  'key',
  'hash',
  'path',
  'url',
  'name',
  'caption',
  'prompt',
  'description',
  'notes',
  'text',
];

/** Why a low-cardinality string column is still free text (identifiers, prose), or null. */
export function textNameReason(name: string): string | null {
  const lower = name.toLowerCase();
  for (const word of TEXT_NAMES) {
    if (lower === word || lower.endsWith(`_${word}`)) return `text-like name "${word}"`;
  }
  return null;
}

/** Item fields fed by well-known columns (`name|filename|file_name`, `width|w`, …). */
export const WELL_KNOWN_FIELDS = {
  name: ['name', 'filename', 'file_name'],
  mime: ['mime', 'mime_type'],
  width: ['width', 'w'],
  height: ['height', 'h'],
  size: ['size', 'bytes'],
  mtime: ['mtime', 'modified', 'modified_at'],
} as const;

export type WellKnownField = keyof typeof WELL_KNOWN_FIELDS;

/** A string or boolean column with more distinct values than this is free text. */
export const CATEGORICAL_MAX_DISTINCT = 60;
