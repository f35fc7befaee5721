import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import type { Need } from '../headers/bytes.ts';
import { decodeTextChunk } from './png-text.ts';
import { metadataSteps, readMetadataFromBytes } from './read-metadata.ts';
import { iTXt, pngChunk, pngFile, tEXt, zTXt } from './test-bytes.ts';

/** Run a read over `bytes`, recording every range asked for. */
function recorded(bytes: Uint8Array) {
  const needs: Need[] = [];
  const steps = metadataSteps();
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    needs.push(next.value);
    const { offset, length } = next.value;
    next = steps.next(bytes.subarray(offset, offset + length));
  }
  return { meta: next.value!, needs };
}

const budget = () => ({ left: 1 << 20 });

test('the hand-assembled fixture PNG is a real image', async () => {
  const file = pngFile([tEXt('parameters', 'a cat')]);
  expect(await sharp(file).metadata()).toMatchObject({ format: 'png', width: 2, height: 1 });
});

test('tEXt, zTXt and iTXt (plain and compressed) are all read, in file order', () => {
  const file = pngFile([
    tEXt('Title', 'caf\xe9'),
    zTXt('Comment', 'zipped latin-1 \xe9'),
    iTXt('Description', 'ünïcödé 🐱', { language: 'fr', translated: 'Légende' }),
    iTXt('parameters', 'compressed ✓ text', { compressed: true }),
  ]);
  const meta = readMetadataFromBytes(file)!;
  expect(meta.format).toBe('png');
  expect(meta.warnings).toEqual([]);
  expect(meta.text_chunks).toEqual([
    { type: 'tEXt', keyword: 'Title', text: 'café' },
    { type: 'zTXt', keyword: 'Comment', text: 'zipped latin-1 é' },
    {
      type: 'iTXt',
      keyword: 'Description',
      language_tag: 'fr',
      translated_keyword: 'Légende',
      text: 'ünïcödé 🐱',
    },
    {
      type: 'iTXt',
      keyword: 'parameters',
      language_tag: '',
      translated_keyword: '',
      text: 'compressed ✓ text',
    },
  ]);
  expect(meta.container).toMatchObject({ Title: 'café', parameters: 'compressed ✓ text' });
});

test('reading stops at the first IDAT: later text is not read, nor any pixel byte', () => {
  const file = pngFile([tEXt('parameters', 'before')], [tEXt('late', 'after the pixels')]);
  const idat = file.indexOf('IDAT') - 4;
  const { meta, needs } = recorded(file);
  expect(meta.text_chunks.map((c) => c.keyword)).toEqual(['parameters']);
  for (const need of needs) expect(need.offset + need.length).toBeLessThanOrEqual(idat + 8);
});

test('pHYs, gAMA, sRGB, iCCP and eXIf become Pillow-style info entries', () => {
  const phys = Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]);
  const icc = Buffer.concat([Buffer.from('ICC\0\0'), deflateSync(Buffer.alloc(300, 7))]);
  const exif = Buffer.from('II*\0\x08\0\0\0\0\0\0\0\0\0', 'latin1');
  const meta = readMetadataFromBytes(
    pngFile([
      pngChunk('pHYs', phys),
      pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
      pngChunk('sRGB', Buffer.from([0])),
      pngChunk('iCCP', icc),
      pngChunk('eXIf', exif),
    ]),
  )!;
  expect(meta.container).toEqual({
    dpi: [2835 * 0.0254, 2835 * 0.0254],
    gamma: 0.45455,
    srgb: 0,
    icc_profile: 'bytes[300]',
    exif: `bytes[${exif.length}]`,
  });
  expect(meta.exif).toEqual({});
});

test('a bad CRC is a warning and the text is still returned', () => {
  const chunk = tEXt('parameters', 'a cat');
  chunk[chunk.length - 1]! ^= 0xff;
  const meta = readMetadataFromBytes(pngFile([chunk]))!;
  expect(meta.text_chunks).toEqual([{ type: 'tEXt', keyword: 'parameters', text: 'a cat' }]);
  expect(meta.warnings).toEqual(['tEXt chunk at byte 33 has a bad CRC']);
});

test('a corrupt zTXt is skipped with a warning; the chunks around it are kept', () => {
  const broken = pngChunk('zTXt', Buffer.from('Comment\0\0not zlib at all', 'latin1'));
  const meta = readMetadataFromBytes(pngFile([tEXt('a', '1'), broken, tEXt('b', '2')]))!;
  expect(meta.text_chunks.map((c) => c.keyword)).toEqual(['a', 'b']);
  const at = 33 + tEXt('a', '1').length; // signature + IHDR + the first chunk
  expect(meta.warnings).toEqual([`zTXt chunk at byte ${at}: compressed data is corrupt`]);
});

test('a file cut inside a text chunk answers what came before, with a warning', () => {
  const file = pngFile([tEXt('a', '1'), tEXt('parameters', 'x'.repeat(500))]);
  const meta = readMetadataFromBytes(file.subarray(0, 100))!;
  expect(meta.text_chunks.map((c) => c.keyword)).toEqual(['a']);
  expect(meta.warnings).toEqual([
    `tEXt chunk at byte ${33 + tEXt('a', '1').length} is cut off by the end of the file`,
  ]);
});

test('decodeTextChunk: malformed payloads give reasons, never throw', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  const cases: [Parameters<typeof decodeTextChunk>[0], Buffer, string][] = [
    ['tEXt', b('no separator'), 'keyword is missing or longer than 79 bytes'],
    ['tEXt', b(`${'k'.repeat(80)}\0x`), 'keyword is missing or longer than 79 bytes'],
    ['zTXt', b('k\0'), 'compression method is missing'],
    ['zTXt', b('k\0\x05xx'), 'unknown compression method 5'],
    ['iTXt', b('k\0\0\0en'), 'language tag or translated keyword is not terminated'],
    ['iTXt', b('k\0\x02\0\0\0text'), 'bad compression flag 2'],
    ['iTXt', b('k\0\x01\0\0\0not zlib'), 'compressed data is corrupt'],
  ];
  for (const [type, data, reason] of cases) {
    expect(decodeTextChunk(type, data, budget())).toEqual({ ok: false, reason });
  }
});

test('decompression is capped: a zip bomb is refused, not inflated', () => {
  const bomb = Buffer.concat([Buffer.from('k\0\0', 'latin1'), deflateSync(Buffer.alloc(5 << 20))]);
  const small = { left: 1 << 20 };
  expect(decodeTextChunk('zTXt', bomb, small)).toEqual({
    ok: false,
    reason: `decompresses to more than ${1 << 20} bytes`,
  });
  const shared = { left: 12 };
  const chunk = Buffer.concat([
    Buffer.from('k\0\0', 'latin1'),
    deflateSync(Buffer.from('12345678')),
  ]);
  expect(decodeTextChunk('zTXt', chunk, shared)).toMatchObject({ ok: true });
  expect(decodeTextChunk('zTXt', chunk, shared)).toMatchObject({ ok: false });
});
