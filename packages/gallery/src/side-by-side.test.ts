import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { composeSideBySide } from './side-by-side.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-side-by-side-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function image(name: string, width: number, height: number, r: number): Promise<string> {
  const file = join(dir, name);
  const png = await sharp({
    create: { width, height, channels: 3, background: { r, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  await writeFile(file, png);
  return file;
}

const pixel = async (png: Buffer, x: number, y: number) => {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * info.channels]!;
};

test('images are scaled to the smallest height and laid left to right, labels above', async () => {
  const left = await image('a.png', 40, 20, 200);
  const right = await image('b.png', 10, 40, 50);
  const plain = await composeSideBySide([left, right]);
  const meta = await sharp(plain).metadata();
  // Heights: min(20, 40) = 20; widths 40 and 10 * 20/40 = 5; one 8 px gap.
  expect([meta.format, meta.width, meta.height]).toEqual(['png', 40 + 8 + 5, 20]);
  expect(await pixel(plain, 10, 10)).toBe(200);
  expect(await pixel(plain, 50, 10)).toBe(50);

  const labelled = await composeSideBySide([left, right], ['left', null]);
  expect((await sharp(labelled).metadata()).height).toBe(20 + 28);
  expect(await pixel(labelled, 10, 28 + 10)).toBe(200);
});

test('a file that cannot be decoded is unsupported_image naming it', async () => {
  const bad = join(dir, 'bad.png');
  await writeFile(bad, 'not an image');
  const good = await image('a.png', 4, 4, 1);
  await expect(composeSideBySide([good, bad])).rejects.toMatchObject({
    code: 'unsupported_image',
    message: expect.stringContaining('bad.png'),
  });
});
