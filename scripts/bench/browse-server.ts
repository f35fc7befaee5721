/**
 * The server under test for `server-browse.ts`, in its own process:
 *
 *   node --import tsx scripts/bench/browse-server.ts --dir <images> [--labeled 0.3]
 *
 * Opens the real gallery on `--dir` (watch off, no dimension cache write), a memory store with
 * labels on a fraction of the images (stars, tags from a small vocabulary, notes on some, a
 * `score` metric), builds the express app and listens on a free loopback port. Prints one JSON
 * line `{"port", "items", "labeled", "index_ms", "label_ms"}` when ready; SIGTERM stops it.
 */
import { parseArgs } from 'node:util';
import { type CanonicalPath, ROOT_PATH } from '@lenslet/core';
import { openGallery, openThumbnailer, raiseThreadPoolSize } from '@lenslet/gallery';
import { createApp, DEFAULT_CONFIG } from '@lenslet/server';
import { openMemoryStore, type WriteEntry } from '@lenslet/store';

raiseThreadPoolSize(process.env);
const { values } = parseArgs({
  options: { dir: { type: 'string' }, labeled: { type: 'string', default: '0.3' } },
});
if (!values.dir) throw new Error('--dir is required');

const t0 = performance.now();
const gallery = await openGallery({
  roots: [{ prefix: ROOT_PATH, dir: values.dir }],
  watch: 'off',
});
const indexMs = performance.now() - t0;

const TAGS = ['cat', 'dog', 'blurry', 'keeper', 'duplicate', 'night', 'portrait', 'reject'];
const store = openMemoryStore();
const t1 = performance.now();
const paths: CanonicalPath[] = [...gallery.items(ROOT_PATH, true)].map((e) => e.path);
const fraction = Number(values.labeled);
const entries: WriteEntry[] = [];
for (let i = 0; i < paths.length; i++) {
  // A deterministic spread: every image whose hash falls under the fraction gets labels.
  const h = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  if (h / 2 ** 32 >= fraction) continue;
  entries.push({
    path: paths[i]!,
    last_writer_wins: true,
    patch: {
      set_star: h % 6,
      add_tags: [TAGS[h % TAGS.length]!, TAGS[(h >>> 8) % TAGS.length]!],
      ...(h % 7 === 0 ? { set_notes: `check exposure on frame ${i}` } : {}),
      set_metrics: { score: (h % 1000) / 1000 },
    },
  });
}
for (let i = 0; i < entries.length; i += 5000) {
  await store.applyBatch(entries.slice(i, i + 5000), {
    actor: i % 2 ? 'ana' : 'bo',
    mutation_id: `bench-${i}`,
    mode: 'bulk',
  });
}
const labelMs = performance.now() - t1;

const thumbnailer = await openThumbnailer({});
const lenslet = createApp({ store, gallery, thumbnailer, config: DEFAULT_CONFIG });
const server = lenslet.app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(
    JSON.stringify({
      port,
      items: paths.length,
      labeled: store.items().size,
      index_ms: Math.round(indexMs),
      label_ms: Math.round(labelMs),
    }),
  );
});
process.on('SIGTERM', async () => {
  server.closeAllConnections();
  server.close();
  await lenslet.close();
  await gallery.close();
  await thumbnailer.close();
  process.exit(0);
});
