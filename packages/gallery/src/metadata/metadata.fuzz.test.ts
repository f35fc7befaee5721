// Parser fuzzing: valid files of every kind (PNG with each text chunk type, iCCP and eXIf;
// JPEG with JFIF, EXIF, XMP, ICC and COM; extended WebP with EXIF and XMP; the original's
// fixtures) are truncated, bit-flipped, overwritten and given absurd lengths, then read. No
// exception may escape, every read request stays inside the per-file budget, the warnings stay
// capped and the answer serialises to JSON.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { parseA1111 } from './a1111.ts';
import { parseComfyGraph } from './comfyui-graph.ts';
import { parseComfyWorkflow } from './comfyui-workflow.ts';
import { runOnBytes } from './drive.ts';
import { parseExif } from './exif.ts';
import { indexPromptSteps, mayHavePrompt } from './index-prompt.ts';
import { MAX_METADATA_BYTES, MAX_METADATA_READS, MAX_WARNINGS } from './limits.ts';
import { toOriginalMeta } from './original-meta.ts';
import { decodeTextChunk } from './png-text.ts';
import { metadataSteps } from './read-metadata.ts';
import { Warnings } from './read-steps.ts';
import {
  iTXt,
  jpegWith,
  pngChunk,
  pngFile,
  tEXt,
  tiff,
  userComment,
  webpWith,
  zTXt,
} from './test-bytes.ts';

/** Runs per property; `LENSLET_FUZZ_RUNS` raises it for a deeper search. */
const RUNS = Number(process.env.LENSLET_FUZZ_RUNS ?? 300);
const FIXTURE = join(import.meta.dirname, '../../../../test/fixtures/original-metadata/images');
let seeds: Buffer[] = [];

beforeAll(async () => {
  const exif = tiff([{ tag: 0x0131, type: 2, value: 'Tool' }], {
    exif: [
      { tag: 0x9286, type: 7, value: userComment('p\nNegative prompt: n\nSteps: 2', 'UNICODE-BE') },
    ],
    gps: [{ tag: 2, type: 5, value: [1, 1, 2, 1, 3, 1] }],
  });
  const graph = JSON.stringify({
    '1': { class_type: 'CLIPTextEncode', inputs: { text: 'x' } },
    '2': {
      class_type: 'KSampler',
      inputs: { positive: ['1', 0], negative: ['1', 0], latent_image: ['3', 0] },
    },
  });
  const xmp = Buffer.from(
    '<x:xmpmeta><dc:description><rdf:li>a</rdf:li></dc:description></x:xmpmeta>',
  );
  seeds = [
    pngFile([
      tEXt('parameters', 'a\nNegative prompt: b\nSteps: 3, Seed: 4, Size: 5x6'),
      zTXt('prompt', graph),
      iTXt('workflow', '{"nodes":[{"id":1,"type":"KSampler","widgets_values":[1,"fixed",2]}]}', {
        compressed: true,
      }),
      pngChunk('iCCP', Buffer.concat([Buffer.from('p\0\0'), deflateSync(Buffer.alloc(64))])),
      pngChunk('eXIf', exif),
      pngChunk('pHYs', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 1])),
    ]),
    await jpegWith([
      [0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, 0, 72, 0, 72, 0, 0])],
      [0xe1, Buffer.concat([Buffer.from('Exif\0\0'), exif])],
      [0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), xmp])],
      [0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0\x01\x01'), Buffer.alloc(20)])],
      [0xfe, Buffer.from('comment')],
    ]),
    await webpWith(
      [
        ['EXIF', exif],
        ['XMP ', xmp],
      ],
      0x0c,
    ),
    ...(await Promise.all(
      ['batch_b/img_0001.png', 'batch_c/img_0002.png', 'batch_a/img_0003.jpg'].map((f) =>
        readFile(join(FIXTURE, f)),
      ),
    )),
  ];
});

/** Read `bytes` as a file, asserting every request against the budget. */
function readChecked(bytes: Uint8Array) {
  const steps = metadataSteps();
  let total = 0;
  let reads = 0;
  let next = steps.next(new Uint8Array(0));
  while (!next.done) {
    const { offset, length } = next.value;
    reads++;
    total += length;
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(length).toBeLessThanOrEqual(MAX_METADATA_BYTES);
    next = steps.next(bytes.subarray(Math.min(offset, bytes.length), offset + length));
  }
  expect(reads).toBeLessThanOrEqual(MAX_METADATA_READS + 1);
  expect(total).toBeLessThanOrEqual(MAX_METADATA_BYTES + 32);
  const meta = next.value;
  if (meta !== null) {
    expect(meta.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS);
    expect(() => JSON.stringify(toOriginalMeta(meta))).not.toThrow();
  }
  return meta;
}

type Mutation =
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'length'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('length' as const),
    at: fc.nat(),
    value: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0xffff, 0x10000, 12),
  }),
);

function mutate(seed: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(seed);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'cut') out = out.subarray(0, at);
    else if (m.kind === 'flip' && out.length > 0) out[at]! ^= 1 << m.bit;
    else if (m.kind === 'overwrite') out.set(m.bytes.subarray(0, out.length - at), at);
    else if (m.kind === 'length' && at + 4 <= out.length) out.writeUInt32BE(m.value >>> 0, at);
  }
  return out;
}

test('mutated PNG, JPEG and WebP files: partial answers, never an exception or an unbounded read', () => {
  fc.assert(
    fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), (pick, mutations) => {
      readChecked(mutate(seeds[pick % seeds.length]!, mutations));
    }),
    { numRuns: RUNS },
  );
});

test('the scan fast path never skips a file whose prompt the full index read would find', () => {
  fc.assert(
    fc.property(fc.nat(), fc.array(mutation, { maxLength: 4 }), (pick, mutations) => {
      const bytes = mutate(seeds[pick % seeds.length]!, mutations);
      const format = bytes[0] === 0x89 ? 'png' : bytes[0] === 0xff ? 'jpeg' : 'webp';
      const head = bytes.subarray(0, 4096);
      const prompt = runOnBytes(indexPromptSteps(format, head), bytes);
      if (!mayHavePrompt(format, head)) expect(prompt).toBeNull();
    }),
    { numRuns: RUNS },
  );
});

test('random bytes behind a valid signature', () => {
  const heads = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([0xff, 0xd8, 0xff]),
    Buffer.from('RIFF\xff\xff\xff\x7fWEBP', 'latin1'),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 2048 }), (head, rest) => {
      readChecked(Buffer.concat([head, rest]));
    }),
    { numRuns: RUNS },
  );
});

test('a chunk that claims gigabytes is refused by the budget, not allocated', () => {
  const huge = Buffer.concat([
    pngFile([]).subarray(0, 33),
    Buffer.from([0x7f, 0xff, 0xff, 0xff]),
    Buffer.from('tEXt'),
    Buffer.from('k\0v'),
  ]);
  const meta = readChecked(huge)!;
  expect(meta.warnings).toEqual([
    'tEXt chunk at byte 33 (2147483647 bytes) is over the metadata read limit',
  ]);
});

/** Text made of the grammar's own pieces (and noise), so the parser's branches are reached. */
const a1111ish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Steps: 20',
        'Seed: 1',
        'Size: 2x3',
        'CFG scale: 7',
        'Negative prompt:',
        'Model: m',
      ),
      fc.constantFrom(
        ', ',
        ',',
        ': ',
        ':',
        '"',
        '\\"',
        '\\',
        '\n',
        '\r\n',
        ' ',
        '<lora:a:1>',
        'é🐱',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

test('pure parsers on arbitrary input: text, JSON graphs, EXIF blocks, chunk payloads', () => {
  fc.assert(
    fc.property(a1111ish, fc.boolean(), (text, strict) => {
      const g = parseA1111(text, 'f', strict);
      if (g !== null) expect(() => JSON.stringify(g)).not.toThrow();
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
      parseComfyGraph(value, JSON.stringify(value) ?? '', 'f');
      parseComfyWorkflow(value, 'f');
      parseComfyWorkflow({ nodes: [value, value], links: [value] }, 'f');
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(
      fc.constantFrom('II*\0', 'MM\0*', 'Exif\0\0II*\0'),
      fc.uint8Array({ maxLength: 512 }),
      (head, rest) => {
        const warnings = new Warnings();
        parseExif(Buffer.concat([Buffer.from(head, 'latin1'), rest]), warnings);
        expect(warnings.done().length).toBeLessThanOrEqual(MAX_WARNINGS);
      },
    ),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(
      fc.constantFrom('tEXt' as const, 'zTXt' as const, 'iTXt' as const),
      fc.uint8Array({ maxLength: 256 }),
      (type, data) => {
        decodeTextChunk(type, data, { left: 1 << 16 });
      },
    ),
    { numRuns: RUNS },
  );
});
