/**
 * The item path of a table row, from the raw value of its image column:
 * 'images/a.png' => '/images/a.png' · 'C:\\data\\a.png' => '/C:/data/a.png' ·
 * 'https://cdn.example/x/a.png?v=1' => '/cdn.example/x/a.png' · 's3://bucket/k.png' => '/bucket/k.png' ·
 * with base_dir '/data/set', '/data/set/b/c.png' => '/b/c.png' · '../a.png' => null (rejected).
 * How the raw value resolves to a file (against the table's folder or `--root`) is the server's
 * business; this is only the name the item goes by.
 */
import { type CanonicalPath, toCanonicalPath } from '@lenslet/core';

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * For a raw value that `toItemPath` turns into `'/' + raw` unchanged (the common case: a relative
 * path of ASCII letters, digits, `_ . -` in non-empty segments, none `.` or `..`), the
 * `PathIndex.hash` of that item path, computed in the same pass as the check; else -1. No regex:
 * this runs once per row of a million-row table.
 */
export function simplePathHash(raw: string): number {
  let h = Math.imul(0x811c9dc5 ^ 47, 0x01000193);
  let segment = 0;
  let dots = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    if (c === 47) {
      if (segment === 0 || (segment === dots && dots <= 2)) return -1;
      segment = 0;
      dots = 0;
      continue;
    }
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      (c >= 48 && c <= 57) ||
      c === 95 ||
      c === 45 ||
      c === 46;
    if (!ok) return -1;
    segment++;
    if (c === 46) dots++;
  }
  return segment > 0 && !(segment === dots && dots <= 2) ? h >>> 0 : -1;
}

export function toItemPath(raw: string, baseDir: string | null = null): CanonicalPath | null {
  if (baseDir === null && simplePathHash(raw) >= 0) return `/${raw}` as CanonicalPath;
  let value = raw.trim();
  if (value === '') return null;
  if (value.includes('://') && URL_LIKE.test(value)) {
    try {
      const url = new URL(value);
      value = `${url.host}${decodeURIComponent(url.pathname)}`;
    } catch {
      return null;
    }
  } else if (baseDir) {
    const base = baseDir.replaceAll('\\', '/').replace(/\/+$/, '');
    const normal = value.replaceAll('\\', '/');
    if (normal.startsWith(`${base}/`)) value = normal.slice(base.length + 1);
  }
  if (simplePathHash(value) >= 0) return `/${value}` as CanonicalPath;
  const path = toCanonicalPath(value);
  return path === '/' ? null : path;
}
