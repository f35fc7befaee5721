/** The label route tests' app: four indexed images on a memory store, served through `handler`. */
import type { RequestListener } from 'node:http';
import { type LabelStore, openMemoryStore } from '@lenslet/store';
import request from 'supertest';
import { afterEach, beforeEach } from 'vitest';
import { createApp, type LensletApp } from '../app.ts';
import { DEFAULT_CONFIG } from '../context.ts';
import { FakeGallery, newKey, noThumbnails } from '../live-test-kit.ts';

export type LabelApp = {
  readonly lenslet: LensletApp;
  readonly store: LabelStore;
  readonly gallery: FakeGallery;
};

export function openLabelApp(): LabelApp {
  const store = openMemoryStore();
  const gallery = new FakeGallery(['/a.jpg', '/b.jpg', '/cats/c1.jpg', '/cats/c2.jpg']);
  const lenslet = createApp({ store, gallery, thumbnailer: noThumbnails, config: DEFAULT_CONFIG });
  return { lenslet, store, gallery };
}

/** A fresh app before each test, handed to `use`; closed after it. */
export function eachLabelApp(use: (opened: LabelApp) => void): void {
  let current: LabelApp | undefined;
  beforeEach(() => {
    current = openLabelApp();
    use(current);
  });
  afterEach(async () => {
    await current?.lenslet.close();
  });
}

/**
 * One line for a label route test: a fresh app per test (see `eachLabelApp`), its handler (as
 * `lenslet serve` runs it: PATCH /item takes the fast lane, the rest express) and a PATCH through it.
 */
export function labelAppPerTest() {
  let current: LabelApp | undefined;
  eachLabelApp((opened) => {
    current = opened;
  });
  const opened = (): LabelApp => {
    if (!current) throw new Error('labelAppPerTest: used outside a test');
    return current;
  };
  const app = () => opened().lenslet.handler;
  return {
    get store() {
      return opened().store;
    },
    get gallery() {
      return opened().gallery;
    },
    app,
    patch: (path: string, body: unknown, key?: string | null) => patchItem(app(), path, body, key),
    /** The same gallery served over `store` (e.g. a `delegateStore` that fails), closed by the caller. */
    appOver: (store: LabelStore) =>
      createApp({
        store,
        gallery: opened().gallery,
        thumbnailer: noThumbnails,
        config: DEFAULT_CONFIG,
      }),
  };
}

/** `PATCH /item?path=` of `body`, with a fresh Idempotency-Key unless `key` says otherwise. */
export function patchItem(
  handler: RequestListener,
  path: string,
  body: unknown,
  key: string | null = newKey(),
) {
  const req = request(handler).patch(`/item?path=${encodeURIComponent(path)}`);
  if (key !== null) req.set('Idempotency-Key', key);
  return req.send(body as object);
}
