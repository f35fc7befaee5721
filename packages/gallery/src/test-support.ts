/** Helpers for this package's tests: temp dirs and tiny real images. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/gallery');

/** A fresh temp dir and its cleanup. */
export async function tempDir(
  prefix = 'lenslet-gallery-',
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const cache = new Map<string, Buffer>();

/** A real PNG of the given size (solid colour). */
export async function png(width: number, height: number): Promise<Buffer> {
  const key = `${width}x${height}`;
  let data = cache.get(key);
  if (data === undefined) {
    data = await sharp({ create: { width, height, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    cache.set(key, data);
  }
  return data;
}

/** Write a PNG at `dir/rel`, creating folders. */
export async function writePng(
  dir: string | Buffer,
  rel: string,
  width = 8,
  height = 6,
): Promise<string> {
  const file = join(String(dir), rel);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, await png(width, height));
  return file;
}

/** Poll `check` until it returns true (for watcher tests), failing after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
