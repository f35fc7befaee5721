/** Helpers for server tests: build an app on fakes or real parts, and listen on a real port. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CanonicalPath, type Patch, toCanonicalPath } from '@lenslet/core';
import type { GalleryIndex, Thumbnailer } from '@lenslet/gallery';
import { type LabelStore, openMemoryStore } from '@lenslet/store';
import { createApp, type LensletApp } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig } from './context.ts';
import { createFakeThumbnailer } from './fake-gallery.ts';

export type TestAppOptions = {
  readonly gallery: GalleryIndex;
  readonly store?: LabelStore;
  readonly thumbnailer?: Thumbnailer;
  readonly config?: Partial<ServerConfig>;
};

export function testApp(options: TestAppOptions): LensletApp & { store: LabelStore } {
  const store = options.store ?? openMemoryStore();
  const app = createApp({
    store,
    gallery: options.gallery,
    thumbnailer: options.thumbnailer ?? createFakeThumbnailer(),
    config: { ...DEFAULT_CONFIG, ...options.config },
  });
  return { ...app, store };
}

/** Write labels straight into a store (last writer wins). */
export async function seed(
  store: LabelStore,
  path: string,
  patch: Patch,
  actor = 'ana',
): Promise<void> {
  await store.apply(
    { path: toCanonicalPath(path) as CanonicalPath, patch, last_writer_wins: true },
    { actor, mutation_id: `seed-${Math.random().toString(36).slice(2)}`, mode: 'patch' },
  );
}

export type Listening = { readonly url: string; readonly port: number; close(): Promise<void> };

/** Listen on a free loopback port (through `handler`: the fast lane, then express). */
export async function listen(app: LensletApp): Promise<Listening> {
  const server = createServer(app.handler).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type RawResponse = {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
  json(): unknown;
};

/** A plain HTTP request (node:http lets tests send any Host, Origin or Cookie header). */
export async function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
