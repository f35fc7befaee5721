/**
 * The item path of a table row, from the raw value of its image column:
 * 'images/a.png' => '/images/a.png' · 'C:\\data\\a.png' => '/C:/data/a.png' ·
 * 'https://cdn.example/x/a.png?v=1' => '/cdn.example/x/a.png' · 's3://bucket/k.png' => '/bucket/k.png' ·
 * with base_dir '/data/set', '/data/set/b/c.png' => '/b/c.png' · '../a.png' => null (rejected).
 * How the raw value resolves to a file (against the table's folder or `--root`) is the server's
 * business; this is only the name the item goes by.
 */
import { type CanonicalPath, toCanonicalPath } from '@lenslet/core';

const SIMPLE = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export function toItemPath(raw: string, baseDir: string | null = null): CanonicalPath | null {
  let value = raw.trim();
  if (value === '') return null;
  if (URL_LIKE.test(value)) {
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
  if (SIMPLE.test(value) && !/(^|\/)\.\.?(\/|$)/.test(value)) {
    return `/${value}` as CanonicalPath;
  }
  const path = toCanonicalPath(value);
  return path === '/' ? null : path;
}
