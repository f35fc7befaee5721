/** Building `ImageEntry` values: plain objects, so spreading or serializing one keeps every field. */
import { baseName, type CanonicalPath } from '@lenslet/core';
import { FORMAT_MIME, type ImageFormat } from './formats.ts';
import type { ImageEntry } from './gallery.ts';
import type { Size } from './headers/bytes.ts';

/** What a stat gives the index. */
export type FileStat = {
  readonly size: number;
  readonly mtime_ms: number;
  readonly birth_ms: number;
};

/**
 * The entry for `path`: size and dates from the stat, format, displayed size and prompt from the
 * header.
 */
export function makeEntry(
  path: CanonicalPath,
  stat: FileStat,
  format: ImageFormat,
  size: Size | null,
  prompt: string | null,
): ImageEntry {
  const added = stat.birth_ms > 0 ? stat.birth_ms : stat.mtime_ms;
  return {
    path,
    name: baseName(path),
    mime: FORMAT_MIME[format],
    width: size?.width ?? null,
    height: size?.height ?? null,
    size: stat.size,
    mtime_ms: stat.mtime_ms,
    added_at: new Date(added).toISOString(),
    prompt,
  };
}

const MIME_FORMAT = new Map(Object.entries(FORMAT_MIME).map(([f, m]) => [m, f as ImageFormat]));

/** 'image/png' => 'png' */
export function formatOf(entry: Pick<ImageEntry, 'mime'>): ImageFormat {
  return MIME_FORMAT.get(entry.mime) ?? 'jpeg';
}

/** True when the file behind `entry` is unchanged according to a new stat. */
export function sameFile(entry: Pick<ImageEntry, 'size' | 'mtime_ms'>, stat: FileStat): boolean {
  return entry.size === stat.size && entry.mtime_ms === stat.mtime_ms;
}
