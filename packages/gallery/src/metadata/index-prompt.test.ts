import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CanonicalPath, ROOT_PATH } from '@lenslet/core';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import type { ImageFormat } from '../formats.ts';
import type { Need } from '../headers/bytes.ts';
import { openGallery } from '../open-gallery.ts';
import { tempDir } from '../test-support.ts';
import { INDEX_PROMPT_MAX_CHARS, indexPromptSteps, mayHavePrompt } from './index-prompt.ts';
import { jpegWith, pngChunk, pngFile, tEXt, tiff, userComment, webpWith } from './test-bytes.ts';

const FIXTURE = join(import.meta.dirname, '../../../../test/fixtures/original-metadata/images');
const HEAD = 4096;
const P = (s: string) => s as CanonicalPath;

/** The index prompt of `bytes` when the first 4 KiB are already read, and the reads it added. */
function promptOf(format: ImageFormat, bytes: Uint8Array) {
  const needs: Need[] = [];
  const steps = indexPromptSteps(format, bytes.subarray(0, HEAD));
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    needs.push(next.value);
    next = steps.next(bytes.subarray(next.value.offset, next.value.offset + next.value.length));
  }
  return { prompt: next.value, needs };
}

test('A1111 and ComfyUI fixtures: the positive prompt, from the bytes already read', async () => {
  const a1111 = await readFile(join(FIXTURE, 'batch_b/img_0001.png'));
  expect(promptOf('png', a1111)).toEqual({
    prompt: 'a ancient fox by the sea, highly detailed, 8k, row 1',
    needs: [],
  });
  const comfy = await readFile(join(FIXTURE, 'batch_c/img_0002.png'));
  expect(promptOf('png', comfy).prompt).toBe('a ancient castle on a hill, matte painting, seed 2');
  expect(promptOf('png', await readFile(join(FIXTURE, 'batch_a/img_0000.png')))).toEqual({
    prompt: null,
    needs: [],
  });
  expect(promptOf('jpeg', await readFile(join(FIXTURE, 'batch_a/img_0003.jpg')))).toEqual({
    prompt: null,
    needs: [],
  });
});

test('a text chunk past the first 4 KiB costs one read, which ends the walk; the prompt is cut', () => {
  const long = 'word '.repeat(2000);
  const chunk = tEXt('parameters', `${long}\nSteps: 3`);
  const file = pngFile([pngChunk('tIME', Buffer.alloc(7)), chunk]);
  const { prompt, needs } = promptOf('png', file);
  expect(prompt).toBe(long.trim().slice(0, INDEX_PROMPT_MAX_CHARS));
  const at = 33 + 19; // signature + IHDR + tIME
  expect(needs).toEqual([{ offset: at + 8, length: chunk.length - 8 }]);
});

test('ComfyUI: the walk stops after the prompt graph; the workflow after it is not read', () => {
  const graph = {
    '1': { class_type: 'CLIPTextEncode', inputs: { text: 'a comet' } },
    '2': { class_type: 'KSampler', inputs: { positive: ['1', 0], latent_image: ['3', 0] } },
  };
  const file = pngFile([
    tEXt('prompt', JSON.stringify(graph)),
    tEXt('workflow', 'x'.repeat(50_000)),
  ]);
  expect(promptOf('png', file)).toEqual({ prompt: 'a comet', needs: [] });
});

test('JPEG: UserComment parameters; reading stops at the frame header', async () => {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0'),
    tiff([], {
      exif: [{ tag: 0x9286, type: 7, value: userComment('a fox\nSteps: 2', 'UNICODE-LE') }],
    }),
  ]);
  const file = await jpegWith([[0xe1, exif]]);
  expect(promptOf('jpeg', file)).toEqual({ prompt: 'a fox', needs: [] });
  const plain = await sharp({ create: { width: 9, height: 9, channels: 3, background: '#123' } })
    .jpeg()
    .toBuffer();
  const padded = Buffer.concat([plain, Buffer.alloc(HEAD)]);
  expect(promptOf('jpeg', padded)).toEqual({ prompt: null, needs: [] });
});

test('WebP: flags without EXIF/XMP end the walk; with them, the EXIF after the bitstream is read', async () => {
  const exif = tiff([], {
    exif: [{ tag: 0x9286, type: 7, value: userComment('a lake\nSteps: 9', 'ASCII') }],
  });
  const big = Buffer.alloc(HEAD * 2, 1);
  const withExif = await webpWith(
    [
      ['ALPH', big],
      ['EXIF', exif],
    ],
    0x08,
  );
  expect(promptOf('webp', withExif).prompt).toBe('a lake');
  const flagged = await webpWith(
    [
      ['ALPH', big],
      ['EXIF', exif],
    ],
    0x00,
  );
  expect(promptOf('webp', flagged)).toEqual({ prompt: null, needs: [] });
  const simple = await sharp({ create: { width: 9, height: 9, channels: 3, background: '#123' } })
    .webp()
    .toBuffer();
  expect(promptOf('webp', simple)).toEqual({ prompt: null, needs: [] });
});

test('the fast path: plain files are recognised from their first bytes, without parsing', async () => {
  const read = (f: string) => readFile(join(FIXTURE, f));
  expect(mayHavePrompt('png', await read('batch_a/img_0000.png'))).toBe(false);
  expect(mayHavePrompt('png', await read('batch_b/img_0001.png'))).toBe(true);
  expect(mayHavePrompt('jpeg', await read('batch_a/img_0003.jpg'))).toBe(false);
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0'),
    tiff([{ tag: 0x0131, type: 2, value: 'x' }]),
  ]);
  expect(mayHavePrompt('jpeg', await jpegWith([[0xe1, exif]]))).toBe(true);
  expect(mayHavePrompt('jpeg', await jpegWith([[0xfe, Buffer.from('c')]]))).toBe(true);
  const simple = await sharp({ create: { width: 9, height: 9, channels: 3, background: '#123' } })
    .webp()
    .toBuffer();
  expect(mayHavePrompt('webp', simple)).toBe(false);
  expect(mayHavePrompt('webp', await webpWith([['EXIF', exif]], 0x08))).toBe(true);
  expect(mayHavePrompt('webp', await webpWith([], 0x10))).toBe(false);
  // A head that ends before the answer is known: the full read decides.
  expect(mayHavePrompt('png', pngFile([pngChunk('tIME', Buffer.alloc(7))]).subarray(0, 40))).toBe(
    true,
  );
  expect(mayHavePrompt('gif', Buffer.from('GIF89a'))).toBe(false);
});

test('the scan keeps each prompt in the index and the dimension cache', async () => {
  const { dir, cleanup } = await tempDir('lenslet-prompt-');
  try {
    const a1111 = await readFile(join(FIXTURE, 'batch_b/img_0001.png'));
    const mtime = 1_700_000_000;
    await writeFile(join(dir, 'a.png'), a1111);
    await utimes(join(dir, 'a.png'), mtime, mtime);
    await writeFile(join(dir, 'comfy.png'), await readFile(join(FIXTURE, 'batch_c/img_0002.png')));
    await writeFile(join(dir, 'plain.jpg'), await readFile(join(FIXTURE, 'batch_a/img_0003.jpg')));
    const cacheDir = join(dir, '.lenslet');
    const open = () =>
      openGallery({ roots: [{ prefix: ROOT_PATH, dir }], watch: 'off', cache_dir: cacheDir });
    const cold = await open();
    const prompts = () => [...cold.items(ROOT_PATH, true)].map((e) => [e.name, e.prompt]);
    expect(prompts()).toEqual([
      ['a.png', 'a ancient fox by the sea, highly detailed, 8k, row 1'],
      ['comfy.png', 'a ancient castle on a hill, matte painting, seed 2'],
      ['plain.jpg', null],
    ]);
    await cold.close();
    // Same size and mtime, other text: a warm start answers from the cache, without reading it.
    const swapped = Buffer.from(a1111.toString('latin1').replace('fox', 'cat'), 'latin1');
    await writeFile(join(dir, 'a.png'), swapped);
    await utimes(join(dir, 'a.png'), mtime, mtime);
    const warm = await open();
    expect(warm.get(P('/a.png'))?.prompt).toBe(
      'a ancient fox by the sea, highly detailed, 8k, row 1',
    );
    await warm.close();
    await rm(cacheDir, { recursive: true });
    const fresh = await open();
    expect(fresh.get(P('/a.png'))?.prompt).toBe(
      'a ancient cat by the sea, highly detailed, 8k, row 1',
    );
    await fresh.close();
  } finally {
    await cleanup();
  }
});
