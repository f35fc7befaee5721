import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readDimensions } from '../read-dimensions.ts';
import { avifSize } from './avif.ts';
import { gifSize } from './gif.ts';
import { JPEG_STEP_BYTES, jpegSize, stepJpeg } from './jpeg.ts';
import { pngSize } from './png.ts';
import { detectFormat } from './probe.ts';
import { webpSize } from './webp.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/gallery');
const bytes = (name: string) => readFile(join(FIXTURES, name));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-headers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('PNG size comes from IHDR', async () => {
  expect(pngSize(await bytes('transparent.png'))).toEqual({ width: 40, height: 40 });
  expect(pngSize(await bytes('nested/inner.png'))).toEqual({ width: 16, height: 24 });
});

test('GIF size is the logical screen of an animated GIF', async () => {
  expect(gifSize(await bytes('animated.gif'))).toEqual({ width: 24, height: 16 });
});

test('WebP size from each chunk kind: VP8, VP8L, VP8X', async () => {
  const lossy = await bytes('lossy.webp');
  const lossless = await bytes('lossless.webp');
  const extended = await bytes('alpha.webp');
  expect(lossy.subarray(12, 16).toString('latin1')).toBe('VP8 ');
  expect(lossless.subarray(12, 16).toString('latin1')).toBe('VP8L');
  expect(extended.subarray(12, 16).toString('latin1')).toBe('VP8X');
  expect(webpSize(lossy)).toEqual({ width: 50, height: 30 });
  expect(webpSize(lossless)).toEqual({ width: 30, height: 50 });
  expect(webpSize(extended)).toEqual({ width: 36, height: 36 });
});

test('AVIF size comes from the primary item ispe', async () => {
  expect(avifSize(await bytes('tiny.avif'))).toEqual({ width: 20, height: 12 });
});

test('AVIF irot by 90° reports the displayed (swapped) size', async () => {
  const rotated = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'red' } })
    .avif({ effort: 0 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  expect(avifSize(rotated)).toEqual({ width: 20, height: 40 });
});

test('JPEG size from SOF; orientation 6 swaps width and height', async () => {
  expect(jpegSize(await bytes('landscape.jpg'))).toEqual({
    size: { width: 64, height: 40 },
    orientation: 1,
  });
  expect(jpegSize(await bytes('portrait-exif6.jpg'))).toEqual({
    size: { width: 32, height: 48 },
    orientation: 6,
  });
});

test('JPEG parsed through small windows asks for the bytes it needs and gets the same answer', async () => {
  const data = await bytes('portrait-exif6.jpg');
  let base = 0;
  let from = 2;
  let orientation = 1;
  let reads = 0;
  for (;;) {
    const window = data.subarray(base, base + 64);
    const step = stepJpeg(window, base, from, orientation);
    if (step.kind === 'size') {
      expect(step.size).toEqual({ width: 32, height: 48 });
      expect(step.orientation).toBe(6);
      break;
    }
    expect(step.kind).toBe('need');
    if (step.kind !== 'need') return;
    orientation = step.orientation;
    base = step.need.offset;
    from = step.need.offset;
    expect(++reads).toBeLessThan(100);
  }
  expect(reads).toBeGreaterThan(1);
});

test('a JPEG whose frame header lies past a 30 KB EXIF block is read with a few seeks', async () => {
  const data = await sharp({ create: { width: 30, height: 70, channels: 3, background: 'blue' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: 'x'.repeat(30_000) } })
    .toBuffer();
  expect(data.length).toBeGreaterThan(30_000);
  expect(stepJpeg(data.subarray(0, JPEG_STEP_BYTES), 0, 2).kind).toBe('need');
  const file = join(dir, 'big-exif.jpg');
  await writeFile(file, data);
  expect(await readDimensions(file)).toEqual({
    format: 'jpeg',
    size: { width: 30, height: 70 },
    prompt: null,
  });
});

test('format detection uses content, not the extension', async () => {
  expect(detectFormat(await bytes('landscape.jpg'))).toBe('jpeg');
  expect(detectFormat(await bytes('transparent.png'))).toBe('png');
  expect(detectFormat(await bytes('animated.gif'))).toBe('gif');
  expect(detectFormat(await bytes('lossy.webp'))).toBe('webp');
  expect(detectFormat(await bytes('tiny.avif'))).toBe('avif');
  expect(detectFormat(await bytes('notes.txt'))).toBeNull();
  const file = join(dir, 'png-named.jpg');
  await writeFile(file, await bytes('transparent.png'));
  expect(await readDimensions(file)).toEqual({
    format: 'png',
    size: { width: 40, height: 40 },
    prompt: null,
  });
});

test('a JPEG start followed by garbage is a JPEG of unknown size; a text file is no image', async () => {
  expect(await readDimensions(join(FIXTURES, 'corrupt.jpg'))).toEqual({
    format: 'jpeg',
    size: null,
    prompt: null,
  });
  expect(await readDimensions(join(FIXTURES, 'notes.txt'))).toBeNull();
});

test('truncated headers give null sizes, never a throw', async () => {
  const png = await bytes('transparent.png');
  expect(pngSize(png.subarray(0, 20))).toBeNull();
  const webp = await bytes('lossy.webp');
  expect(webpSize(webp.subarray(0, 24))).toBeNull();
  const jpeg = await bytes('landscape.jpg');
  const file = join(dir, 'truncated.jpg');
  await writeFile(file, jpeg.subarray(0, 40));
  expect(await readDimensions(file)).toEqual({ format: 'jpeg', size: null, prompt: null });
  const avif = await bytes('tiny.avif');
  expect(avifSize(avif.subarray(0, 60))).toBeNull();
});
