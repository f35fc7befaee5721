/**
 * Which items an export holds, pure: every labeled item (any star, tag, notes or metric) at or
 * below the scope folder, with `present` saying whether its file is in the gallery now. The same
 * selection as `lenslet replay` ("labeled items only"), so both encode the same rows.
 */
import {
  type CanonicalPath,
  type ExportRow,
  isLabeled,
  isWithin,
  type Labels,
  parentPath,
} from '@lenslet/core';

/** Rows of the labeled items of `items` inside `scope` (or directly in it, when not recursive). */
export function exportRows(
  items: Iterable<readonly [CanonicalPath, Labels]>,
  scope: CanonicalPath,
  present: (path: CanonicalPath) => boolean,
  recursive = true,
): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const [path, labels] of items) {
    if (!isLabeled(labels)) continue;
    if (recursive ? !isWithin(scope, path) : parentPath(path) !== scope) continue;
    rows.push({ path, labels, present: present(path) });
  }
  return rows;
}

/** Size of one write while streaming an export. */
export const EXPORT_CHUNK_BYTES = 64 * 1024;

/** Group small encoder chunks into writes of about `EXPORT_CHUNK_BYTES`. */
export function* chunked(parts: Iterable<string>, size = EXPORT_CHUNK_BYTES): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const part of parts) {
    buffer.push(part);
    length += part.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}
