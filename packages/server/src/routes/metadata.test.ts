/**
 * `GET /metadata` on the real gallery over a temp copy of the original's metadata fixture, on a
 * real port: the original's recorded answers field by field, Lenslet's parsed generation beside
 * them, and the error and partial answers.
 */
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_PATH } from '@lenslet/core';
import { type OpenedGallery, openGallery } from '@lenslet/gallery';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Listening, listen, raw, testApp } from '../test-server.ts';

const FIXTURE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'original-metadata',
);
type Pair = {
  title: string;
  mode: 'table' | 'folder';
  request: { path: string };
  response: { status: number; body: { path: string; format: string; meta: unknown } };
};
let dir: string;
let gallery: OpenedGallery;
let server: Listening;
let pairs: Pair[];

const get = (path: string) => raw(`${server.url}/metadata?path=${encodeURIComponent(path)}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-metadata-'));
  await cp(FIXTURE, dir, { recursive: true });
  pairs = JSON.parse(await readFile(join(FIXTURE, 'metadata.json'), 'utf8')).pairs;
  const png = await readFile(join(dir, 'images/batch_b/img_0001.png'));
  const damaged = Buffer.from(png);
  damaged[60]! ^= 0x20; // inside the parameters text (chunk at 33): the CRC no longer matches
  await writeFile(join(dir, 'damaged.png'), damaged);
  await writeFile(join(dir, 'becomes-garbage.png'), png);
  await writeFile(join(dir, 'vanishes.png'), png);
  await writeFile(
    join(dir, 'tiny.gif'),
    Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  );
  gallery = await openGallery({ roots: [{ prefix: ROOT_PATH, dir }], watch: 'off' });
  server = await listen(testApp({ gallery }));
});

afterAll(async () => {
  await server.close();
  await gallery.close();
  await rm(dir, { recursive: true, force: true });
});

test('every recorded answer of the original, field by field, with the generation beside it', async () => {
  const ok = pairs.filter((p) => p.response.status === 200);
  expect(ok.length).toBe(5);
  for (const pair of ok) {
    const asked = new URLSearchParams(pair.request.path.split('?')[1]).get('path')!;
    // The folder-mode recording served `images/` as its root; this gallery serves its parent.
    const path = pair.mode === 'folder' ? `/images${asked}` : asked;
    const res = await get(path);
    expect(res.status, pair.title).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['path', 'format', 'meta', 'generation', 'warnings']);
    expect(body.path).toBe(path);
    expect(body.format).toBe(pair.response.body.format);
    expect(body.meta, pair.title).toEqual(pair.response.body.meta);
    expect(body.warnings).toEqual([]);
  }
});

test('the parsed generation of an A1111 and a ComfyUI image', async () => {
  const a1111 = (await get('/images/batch_b/img_0001.png')).json() as { generation: unknown };
  expect(a1111.generation).toEqual({
    source: 'a1111',
    field: 'png:parameters',
    prompt: 'a ancient fox by the sea, highly detailed, 8k, row 1',
    negative_prompt: 'blurry, lowres, bad anatomy',
    seed: 1302957854,
    steps: 36,
    sampler: 'UniPC',
    scheduler: null,
    cfg: 6.5,
    model: 'anything_v4',
    loras: [],
    width: 768,
    height: 768,
    extra: {},
  });
  const comfy = (await get('/images/batch_c/img_0002.png')).json() as { generation: unknown };
  expect(comfy.generation).toMatchObject({
    source: 'comfyui',
    prompt: 'a ancient castle on a hill, matte painting, seed 2',
    negative_prompt: 'lowres, watermark',
    seed: 911856872,
    model: 'sd_xl_base_1.0.safetensors',
  });
  const plain = (await get('/images/batch_a/img_0003.jpg')).json() as { generation: unknown };
  expect(plain.generation).toBeNull();
});

test('a damaged chunk is a partial answer with a warning, not an error', async () => {
  const res = await get('/damaged.png');
  expect(res.status).toBe(200);
  const body = res.json() as { warnings: string[]; meta: { found_text_chunks: unknown[] } };
  expect(body.warnings).toEqual(['tEXt chunk at byte 33 has a bad CRC']);
  expect(body.meta.found_text_chunks).toHaveLength(1);
});

test('path rules and errors: 400, 404, 415, 422 with {error, message}', async () => {
  const cases: [string, number, string][] = [
    ['/metadata', 400, 'invalid_path'],
    ['/metadata?path=%2Fa%2F..%2Fb.png', 400, 'invalid_path'],
    ['/metadata?path=%2Fimages%2Fbatch_a%2Fimg_0000.png&x=1', 400, 'invalid_request'],
    ['/metadata?path=%2Fimages%2Fnope.png', 404, 'not_found'],
    ['/metadata?path=%2Ftiny.gif', 415, 'unsupported_media_type'],
  ];
  for (const [url, status, error] of cases) {
    const res = await raw(`${server.url}${url}`);
    expect(res.status, url).toBe(status);
    expect(res.json()).toMatchObject({ error, message: expect.any(String) });
  }
});

test('a file replaced by garbage after indexing is 422; a vanished one 404', async () => {
  await writeFile(join(dir, 'becomes-garbage.png'), 'this is not an image at all');
  const garbage = await get('/becomes-garbage.png');
  expect(garbage.status).toBe(422);
  expect(garbage.json()).toMatchObject({ error: 'unsupported_image' });
  await unlink(join(dir, 'vanishes.png'));
  const gone = await get('/vanishes.png');
  expect(gone.status).toBe(404);
  expect(gone.json()).toMatchObject({ error: 'not_found' });
});
