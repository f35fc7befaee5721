/**
 * Development server for the web client while `lenslet serve` is being built: the real app
 * (createApp) on the real gallery, thumbnailer and JSONL label store (`<folder>/.lenslet`).
 *   npx tsx test/browser/dev-server.ts <folder> [port]
 */
import { join } from 'node:path';
import { openGallery, openThumbnailer } from '@lenslet/gallery';
import { createApp, DEFAULT_CONFIG } from '@lenslet/server';
import { openJsonlStore } from '@lenslet/store';

const dir = process.argv[2] ?? 'test/fixtures/gallery';
const port = Number(process.argv[3] ?? 7077);
const workspace = join(dir, '.lenslet');
const store = await openJsonlStore(workspace, { worker: null });
const gallery = await openGallery({ roots: [{ prefix: '/' as never, dir }], watch: 'native' });
const thumbnailer = await openThumbnailer();
const app = createApp({
  store,
  gallery,
  thumbnailer,
  config: { ...DEFAULT_CONFIG, workspace, web_dir: join(process.cwd(), 'apps/web/dist') },
});
const server = app.app.listen(port, '127.0.0.1', () =>
  console.log(`dev server on http://127.0.0.1:${port}/`),
);
const stop = async () => {
  server.closeAllConnections();
  server.close();
  await app.close();
  await store.close();
  await gallery.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
