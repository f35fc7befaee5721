// The fuzzer's route list against the routes the server app really serves (read from its
// express router): a route the fuzzer does not know, or a fuzzer route the server no longer
// has, fails here instead of going unfuzzed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_PATH } from '@lenslet/core';
import { openGallery, openThumbnailer } from '@lenslet/gallery';
import { createApp, DEFAULT_CONFIG, type LensletApp } from '@lenslet/server';
import { openMemoryStore } from '@lenslet/store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROUTES } from './routes.ts';

type Layer = {
  readonly name: string;
  readonly route?: { readonly path: string | string[]; readonly methods: Record<string, boolean> };
};

let dir: string;
let lenslet: LensletApp;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-fuzz-routes-'));
  const gallery = await openGallery({ roots: [{ prefix: ROOT_PATH, dir }], watch: 'off' });
  const thumbnailer = await openThumbnailer({ cache_dir: null });
  // As `lenslet serve` builds it: with the web client's folder, so its file server is there too.
  lenslet = createApp({
    store: openMemoryStore(),
    gallery,
    thumbnailer,
    config: { ...DEFAULT_CONFIG, web_dir: dir },
  });
  close = async () => {
    await lenslet.close();
    await thumbnailer.close();
    await gallery.close();
  };
});

afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

const layers = () => (lenslet.app as unknown as { router: { stack: Layer[] } }).router.stack;

/** `METHOD pattern` of every route the app serves. */
function served(): Set<string> {
  const routes = new Set<string>();
  for (const { route } of layers()) {
    if (!route) continue;
    for (const path of [route.path].flat()) {
      for (const method of Object.keys(route.methods))
        routes.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return routes;
}

/** What the fuzzer's requests reach: HEAD is answered by the GET route, as express does. */
function fuzzed(): Set<string> {
  return new Set(
    ROUTES.filter((r) => r.serves !== null && r.serves !== 'static').map(
      (r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.serves ?? r.path}`,
    ),
  );
}

test('the server serves routes (the introspection sees the router)', () => {
  expect(served()).toContain('PATCH /item');
  expect(served().size).toBeGreaterThan(20);
});

test('every route the server serves is in the fuzzer’s list', () => {
  const unknown = [...served()].filter((route) => !fuzzed().has(route));
  expect(unknown, 'add these to scripts/fuzz/routes.ts').toEqual([]);
});

test('every route in the fuzzer’s list is one the server serves', () => {
  const gone = [...fuzzed()].filter((route) => !served().has(route));
  expect(gone, 'the server has no such route: mark it `serves: null` or remove it').toEqual([]);
  const files = ROUTES.filter((r) => r.serves === 'static');
  expect(files.length === 0 || layers().some((l) => l.name === 'serveStatic')).toBe(true);
});

test('the requests no route should take are indeed taken by none', () => {
  const refused = ROUTES.filter((r) => r.serves === null).map((r) => `${r.method} ${r.path}`);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.filter((route) => served().has(route))).toEqual([]);
});
