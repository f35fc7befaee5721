/**
 * Byte format of the dimension cache (`<cache_dir>/cache/dimensions.bin`). Derived data: any
 * doubt (wrong magic, truncation, bad count, roots that moved) means "start cold", never an error.
 *
 *   "LLDIMS2\n"
 *   u32le n, n bytes of JSON {"roots": [[prefix, realpath of dir], …]}
 *   then records, grouped by folder:
 *     0x01 u16le len, folder path (UTF-8)              — following images are in this folder
 *     0x02 u16le len, name (UTF-8), f64le size, f64le mtime_ms,
 *          u32le width, u32le height (0 = unknown), u8 format (index in FORMATS),
 *          u16le len, embedded prompt (UTF-8; 0 = none)
 *   0x00 u32le number of images                         — the trailer proves the file is whole
 *
 * Version 1 (no prompt) is not read: the first start after the upgrade scans cold once.
 */
import { type CanonicalPath, joinPath, parentPath } from '@lenslet/core';
import { formatOf } from './entry.ts';
import { FORMAT_MIME, FORMATS } from './formats.ts';
import type { KnownImage } from './scan.ts';

const MAGIC = Buffer.from('LLDIMS2\n', 'latin1');
const MAX_U16 = 0xffff;
const FOLDER = 0x01;
const IMAGE = 0x02;
const END = 0x00;

export type DimensionRecord = KnownImage & { readonly path: CanonicalPath };
export type CacheRoots = ReadonlyArray<readonly [prefix: string, real: string]>;

class Writer {
  private buf = Buffer.allocUnsafe(1 << 16);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.length = this.buf.writeUInt16LE(v, this.length);
  }
  u32(v: number): void {
    this.room(4);
    this.length = this.buf.writeUInt32LE(v >>> 0, this.length);
  }
  f64(v: number): void {
    this.room(8);
    this.length = this.buf.writeDoubleLE(v, this.length);
  }
  text(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u16(b.length);
    this.bytes(b);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** Encode records; consecutive records of one folder share the folder header. */
export function encodeDimensions(roots: CacheRoots, records: Iterable<DimensionRecord>): Buffer {
  const w = new Writer();
  w.bytes(MAGIC);
  const header = Buffer.from(JSON.stringify({ roots }), 'utf8');
  w.u32(header.length);
  w.bytes(header);
  let folder: string | null = null;
  let count = 0;
  for (const r of records) {
    const parent = parentPath(r.path);
    if (parent !== folder) {
      w.u8(FOLDER);
      w.text(parent);
      folder = parent;
    }
    w.u8(IMAGE);
    w.text(r.path.slice(parent === '/' ? 1 : parent.length + 1));
    w.f64(r.size);
    w.f64(r.mtime_ms);
    w.u32(r.width ?? 0);
    w.u32(r.height ?? 0);
    w.u8(FORMATS.indexOf(formatOf(r)));
    const prompt = r.prompt ? Buffer.from(r.prompt, 'utf8') : null;
    if (prompt === null || prompt.length > MAX_U16) w.u16(0);
    else {
      w.u16(prompt.length);
      w.bytes(prompt);
    }
    count++;
  }
  w.u8(END);
  w.u32(count);
  return w.done();
}

/**
 * Decode a cache file; records under a prefix whose realpath differs from `roots` now are
 * dropped. Null when the file is not a whole cache of this version.
 */
export function decodeDimensions(
  buf: Buffer,
  roots: CacheRoots,
): Map<CanonicalPath, KnownImage> | null {
  try {
    if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    let i = MAGIC.length;
    const headerLength = buf.readUInt32LE(i);
    i += 4;
    const header = JSON.parse(buf.toString('utf8', i, i + headerLength)) as { roots?: unknown };
    i += headerLength;
    const stored = new Map((Array.isArray(header.roots) ? header.roots : []) as [string, string][]);
    const valid = new Set(
      roots.filter(([prefix, real]) => stored.get(prefix) === real).map(([p]) => p),
    );
    const out = new Map<CanonicalPath, KnownImage>();
    let folder: CanonicalPath | null = null;
    let keep = false;
    let count = 0;
    for (;;) {
      const tag = buf[i++];
      if (tag === END) {
        return buf.readUInt32LE(i) === count && i + 4 === buf.length ? out : null;
      }
      const len = buf.readUInt16LE(i);
      const text = buf.toString('utf8', i + 2, i + 2 + len);
      i += 2 + len;
      if (tag === FOLDER) {
        folder = text as CanonicalPath;
        keep = [...valid].some((p) => p === '/' || folder === p || folder!.startsWith(`${p}/`));
        continue;
      }
      if (tag !== IMAGE || folder === null) return null;
      const size = buf.readDoubleLE(i);
      const mtime_ms = buf.readDoubleLE(i + 8);
      const width = buf.readUInt32LE(i + 16);
      const height = buf.readUInt32LE(i + 20);
      const format = FORMATS[buf[i + 24]!];
      const promptLength = buf.readUInt16LE(i + 25);
      const prompt =
        promptLength === 0 ? null : buf.toString('utf8', i + 27, i + 27 + promptLength);
      i += 27 + promptLength;
      count++;
      if (format === undefined) return null;
      if (!keep) continue;
      out.set(joinPath(folder, text), {
        size,
        mtime_ms,
        mime: FORMAT_MIME[format],
        width: width === 0 ? null : width,
        height: height === 0 ? null : height,
        prompt,
      });
    }
  } catch {
    return null;
  }
}
