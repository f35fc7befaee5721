/**
 * A label server in its own process, for the server-labels benchmark.
 *
 *   npx tsx scripts/bench/label-server.ts --dir <workspace> [--port 0] [--mode app|express|bare]
 *       [--store jsonl|memory] [--images 100000] [--prefill 0] [--gallery-dir <images>]
 *
 * `app` is the real app as `lenslet serve` runs it (createApp's `handler`: the `PATCH /item` fast
 * lane ahead of express); `express` the same app with every request through express (no fast
 * lane, for comparison); `bare` is a plain `node:http` server doing the same durable append
 * through the same store with nothing else (no validation, no SSE), so the benchmark can print
 * what the app costs on top of the store. With `--gallery-dir` the real gallery and thumbnailer
 * serve that folder (for the cold-thumbnail scenario); otherwise an in-memory index of
 * `--images` paths `/img<i>.jpg`. Prints one JSON line `{"ready":…}` when
 * listening; SIGTERM closes the store cleanly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { type CanonicalPath, ROOT_PATH } from '@lenslet/core';
import {
  type GalleryIndex,
  openGallery,
  openThumbnailer,
  type Thumbnailer,
} from '@lenslet/gallery';
import { createApp, DEFAULT_CONFIG } from '@lenslet/server';
// The server's in-memory gallery double; no package exports it yet (see scripts/check-deps.mjs).
import { FakeGallery, noThumbnails } from '@lenslet/server/testing';
import { type LabelStore, openJsonlStore, openMemoryStore } from '@lenslet/store';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'app' },
    store: { type: 'string', default: 'jsonl' },
    images: { type: 'string', default: '100000' },
    prefill: { type: 'string', default: '0' },
    'gallery-dir': { type: 'string' },
  },
});

async function openStore(): Promise<LabelStore> {
  if (values.store === 'memory') return openMemoryStore();
  if (!values.dir) throw new Error('--dir is required for the JSONL store');
  return openJsonlStore(values.dir);
}

/** Fill the log with `count` records over the images (group-committed batches). */
async function prefill(store: LabelStore, count: number, images: number): Promise<void> {
  const batch = 1_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    const entries = Array.from({ length: n }, (_, i) => ({
      path: `/img${(done + i) % images}.jpg` as CanonicalPath,
      patch: { set_metrics: { prefill: done + i } },
    }));
    await store.applyBatch(entries, {
      actor: 'prefill',
      mutation_id: `prefill-${done}`,
      mode: 'metrics',
    });
  }
}

async function openGalleryParts(): Promise<{ gallery: GalleryIndex; thumbnailer: Thumbnailer }> {
  const images = Number(values.images);
  const dir = values['gallery-dir'];
  if (dir === undefined) {
    return {
      gallery: new FakeGallery(Array.from({ length: images }, (_, i) => `/img${i}.jpg`)),
      thumbnailer: noThumbnails,
    };
  }
  const gallery = await openGallery({
    roots: [{ prefix: ROOT_PATH, dir }],
    watch: 'off',
    cache_dir: null,
  });
  return { gallery, thumbnailer: await openThumbnailer({}) };
}

function bareServer(store: LabelStore): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://bench.invalid');
        if (req.method !== 'PATCH' || url.pathname !== '/item') {
          res.writeHead(404).end();
          return;
        }
        const result = await store.apply(
          {
            path: url.searchParams.get('path') as CanonicalPath,
            patch: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          },
          {
            actor: 'bench',
            mutation_id: String(req.headers['idempotency-key']),
            mode: 'patch',
          },
        );
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ seq: result.seq, version: result.labels.version }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(error) }));
      }
    });
  });
}

const store = await openStore();
await prefill(store, Number(values.prefill), Number(values.images));
// Let the periodic snapshot the prefill may have started finish before anything is measured.
const settle = (store as { snapshot?: () => Promise<void> }).snapshot;
if (Number(values.prefill) > 0 && settle) await settle.call(store);
let server: Server;
let close = async () => {};
if (values.mode === 'bare') {
  server = bareServer(store);
} else {
  const { gallery, thumbnailer } = await openGalleryParts();
  const lenslet = createApp({ store, gallery, thumbnailer, config: DEFAULT_CONFIG });
  // As `lenslet serve`: the PATCH /item fast lane, then express (`--mode express`: express only).
  server = createServer(values.mode === 'express' ? lenslet.app : lenslet.handler);
  close = async () => {
    await lenslet.close();
    await thumbnailer.close();
    await gallery.close();
  };
}
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ ready: true, port, pid: process.pid, head: store.head(), log_id: store.log_id })}\n`,
  );
});

process.on('SIGTERM', async () => {
  await close();
  server.closeAllConnections();
  server.close();
  await store.close();
  process.exit(0);
});
