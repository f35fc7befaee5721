import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { toOriginalMeta } from './original-meta.ts';
import { readImageMetadata, readMetadataFromBytes } from './read-metadata.ts';
import { iTXt, jpegWith, pngFile, tEXt, tiff, userComment } from './test-bytes.ts';

const FIXTURE = join(import.meta.dirname, '../../../../test/fixtures/original-metadata');

type Pair = {
  mode: string;
  request: { path: string };
  response: { status: number; body: { format: string; meta: unknown } };
};
type Row = { image_path: string; generation: Record<string, unknown> | null };

async function recorded(): Promise<Pair[]> {
  const doc = JSON.parse(await readFile(join(FIXTURE, 'metadata.json'), 'utf8'));
  return (doc.pairs as Pair[]).filter((p) => p.response.status === 200);
}

/** '/metadata?path=%2Fbatch_c%2Fx.png' in folder mode => 'images/batch_c/x.png' */
function fileOf(pair: Pair): string {
  const path = new URLSearchParams(pair.request.path.split('?')[1]).get('path')!;
  return pair.mode === 'folder' ? `images${path}` : path.slice(1);
}

test('meta equals the original recorded answer for every fixture image', async () => {
  const pairs = await recorded();
  expect(pairs.length).toBe(5);
  for (const pair of pairs) {
    const meta = await readImageMetadata(join(FIXTURE, fileOf(pair)));
    expect(meta?.format).toBe(pair.response.body.format);
    expect(toOriginalMeta(meta!)).toEqual(pair.response.body.meta);
    expect(meta?.warnings).toEqual([]);
  }
});

test('the parsed generation equals what the fixture generator wrote', async () => {
  const { rows } = JSON.parse(await readFile(join(FIXTURE, 'rows.json'), 'utf8')) as {
    rows: Row[];
  };
  for (const row of rows) {
    const meta = await readImageMetadata(join(FIXTURE, row.image_path));
    const g = row.generation;
    if (g === null) {
      expect(meta?.generation).toBeNull();
      continue;
    }
    expect(meta?.generation).toMatchObject({
      source: g.kind,
      prompt: g.prompt,
      negative_prompt: g.negative_prompt,
      seed: g.seed,
      steps: g.steps,
      cfg: g.kind === 'a1111' ? g.cfg_scale : g.cfg,
      model: g.model,
      ...(g.kind === 'a1111' ? { sampler: g.sampler, width: g.size, height: g.size } : {}),
    });
  }
});

test('quick fields: pil_info first, then chunks; quick_view_defaults prefer a qfty_meta chunk', () => {
  const qfty = JSON.stringify({
    prompt: '  a qfty prompt ',
    model_dir: '/models/checkpoints/base.safetensors',
    loras: { 'a.safetensors': 0.8, 'b.safetensors': 1 },
  });
  const meta = readMetadataFromBytes(
    pngFile([
      tEXt('Software', 'Tool 3'),
      iTXt('Description', 'a description'),
      tEXt('qfty_meta', qfty),
    ]),
  )!;
  expect(toOriginalMeta(meta)).toMatchObject({
    quick_fields: { Software: 'Tool 3', Description: 'a description' },
    quick_view_defaults: {
      prompt: 'a qfty prompt',
      model: 'base.safetensors',
      lora: 'a.safetensors (0.8), b.safetensors',
    },
  });
  const plain = readMetadataFromBytes(
    pngFile([tEXt('Software', '/opt/tools/gen'), tEXt('Description', 'd')]),
  )!;
  expect(toOriginalMeta(plain).quick_view_defaults).toEqual({
    prompt: 'd',
    model: 'gen',
    lora: '',
  });
});

test('JPEG: quick fields from EXIF Software, ImageDescription and UserComment', async () => {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0'),
    tiff(
      [
        { tag: 0x010e, type: 2, value: 'a desc' },
        { tag: 0x0131, type: 2, value: 'Tool' },
      ],
      {
        exif: [{ tag: 0x9286, type: 7, value: userComment('the parameters', 'ASCII') }],
      },
    ),
  ]);
  const meta = readMetadataFromBytes(await jpegWith([[0xe1, exif]]))!;
  expect(toOriginalMeta(meta)).toEqual({
    exif: { ImageDescription: 'a desc', Software: 'Tool', UserComment: 'the parameters' },
    xmp: null,
    pil_info: { exif: `bytes[${exif.length}]` },
    quick_fields: { Software: 'Tool', Description: 'a desc', parameters: 'the parameters' },
  });
});
