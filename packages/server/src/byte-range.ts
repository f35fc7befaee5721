/**
 * HTTP conditional and range requests for files (`/file`) and thumbnails: one `bytes=` range is
 * honoured (206), several are answered with the whole file (allowed by RFC 9110), an
 * unsatisfiable one is 416. Validators are a strong ETag from size+mtime and Last-Modified.
 */

export type ByteRange = { readonly start: number; readonly end: number };

/**
 * The single range a `Range` header asks for within `size` bytes.
 * 'bytes=0-99' => {0,99} · 'bytes=-10' (size 100) => {90,99} · 'bytes=50-' => {50,size-1}
 * Returns 'unsatisfiable' for a range that starts past the end, null when the header should be
 * ignored (absent, malformed, another unit, or several ranges).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** True when an If-None-Match list names `etag` (weak comparison, `*` matches anything). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/** 304 decision: If-None-Match wins over If-Modified-Since when both are sent (RFC 9110). */
export function isNotModified(
  headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined },
  etag: string,
  mtimeMs: number,
): boolean {
  if (headers['if-none-match'] !== undefined) return etagMatches(headers['if-none-match'], etag);
  const since = headers['if-modified-since'];
  if (since === undefined) return false;
  const sinceMs = Date.parse(since);
  return !Number.isNaN(sinceMs) && Math.floor(mtimeMs / 1000) * 1000 <= sinceMs;
}

/** If-Range: the range applies only when the validator still matches (strong ETag or date). */
export function ifRangeHolds(header: string | undefined, etag: string, mtimeMs: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && Math.floor(mtimeMs / 1000) * 1000 === ms;
}
