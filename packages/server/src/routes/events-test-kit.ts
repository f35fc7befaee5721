/**
 * Shared by the live-stream route tests (events-*.test.ts): a server on a real port over a fake
 * gallery of 20 images, SSE readers that are closed after each test, and label writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelStore } from '@lenslet/store';
import { expect } from 'vitest';
import {
  call,
  FakeGallery,
  type Json,
  newKey,
  type Running,
  SseReader,
  type StoreKind,
  startServer,
} from '../live-test-kit.ts';

export const IMAGES = Array.from({ length: 20 }, (_, i) => `/img${i}.jpg`);
/** Every reader a test opened; closed by its afterEach. */
export const readers: SseReader[] = [];
export const open = async (url: string, headers: Record<string, string> = {}) => {
  const reader = await SseReader.open(url, headers);
  readers.push(reader);
  return reader;
};

export async function write(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  return call(`${url}/item?path=${encodeURIComponent(path)}`, 'PATCH', body, {
    'idempotency-key': newKey('sse'),
    ...headers,
  });
}

let tagCounter = 0;

/** `count` writes (each a new record) spread over the images, `concurrency` at a time. */
export async function writeMany(url: string, count: number, concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const tag = `t${++tagCounter}`;
        const res = await write(url, IMAGES[i % IMAGES.length]!, { add_tags: [tag] });
        expect(res.status).toBe(200);
        expect(res.body.accepted_event).not.toBeNull();
      }
    }),
  );
}

/** A server over a fresh store of `kind` (in a temp workspace) and the fake gallery. */
export type EventsServer = {
  readonly dir: string;
  readonly store: LabelStore;
  readonly gallery: FakeGallery;
  readonly running: Running;
};

export async function startEventsServer(kind: StoreKind): Promise<EventsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lenslet-events-'));
  const store = await kind.open(dir);
  const gallery = new FakeGallery(IMAGES);
  const running = await startServer({ store, gallery });
  return { dir, store, gallery, running };
}

/** Close the readers, stop the server, close the store, remove the workspace. */
export async function stopEventsServer(server: EventsServer): Promise<void> {
  for (const reader of readers.splice(0)) reader.close();
  await server.running.stop();
  await server.store.close();
  await rm(server.dir, { recursive: true, force: true });
}
