/**
 * `lenslet serve [dir | table | name=dir|table …]`: the composition root of a gallery server. It
 * resolves what to serve and where its workspace is, opens the label store, indexes the folders
 * (showing progress) and loads the tables (`--table` joins one to the folder), binds the port (remembered per workspace), prints the banner, and on Ctrl-C / SIGTERM
 * stops in order: no new connections → store closed (in-flight fsyncs finish, lock released) →
 * live streams closed → HTTP server closed → gallery and thumbnailer closed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CanonicalPath, LensletError, ROOT_PATH } from '@lenslet/core';
import { createDemoGallery, openThumbnailer, type Thumbnailer } from '@lenslet/gallery';
import {
  createApp,
  generateToken,
  openServed,
  type Served,
  type ServedSource,
  TOKEN_PATTERN,
} from '@lenslet/server';
import { type LabelStore, nodeFs } from '@lenslet/store';
import { FaultInjector } from '@lenslet/store/testing';
import { formatBanner } from '../banner.ts';
import { HELP, VERSION } from '../help.ts';
import { listenOnFreePort } from '../listen.ts';
import {
  isLoopbackHost,
  isWildcardHost,
  machineHostNames,
  serverUrls,
  withToken,
} from '../network.ts';
import { openBrowser } from '../open-browser.ts';
import { createProgress } from '../progress.ts';
import { parseServeOptions } from '../serve-options.ts';
import { resolveSources, type ServeSources } from '../serve-sources.ts';
import { openDatabaseStore, openLabelStore } from '../serve-store.ts';
import { waitForStopSignal } from '../shutdown.ts';
import { adoptTableLabels } from '../table-labels.ts';
import { probeWorkspace, readServerState, writeServerState } from '../workspace-state.ts';
import type { CommandContext } from './command.ts';

const FORCE_CLOSE_AFTER_MS = 5000;

/** The built web client next to this bundle (dist) or this source file, if built. */
function findWebDir(): string | null {
  for (const relative of ['../../web/dist/', '../../../web/dist/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/** What to serve, for openServed: `root` (from --root) resolves a table's relative image paths. */
function servedSources(
  sources: ServeSources,
  demoDir: string | null,
  root: string | null,
  pathColumn: string | null,
): ServedSource[] {
  const table = (prefix: CanonicalPath, file: string, dir: string): ServedSource => ({
    kind: 'table',
    prefix,
    file,
    root: root ?? dir,
    path_column: pathColumn,
  });
  switch (sources.mode) {
    case 'demo':
      return [{ kind: 'folder', prefix: ROOT_PATH, dir: demoDir! }];
    case 'folder':
      return [{ kind: 'folder', prefix: ROOT_PATH, dir: sources.dir }];
    case 'table':
      return [table(ROOT_PATH, sources.file, sources.dir)];
    case 'dataset':
      return sources.roots.map((r) => {
        const prefix = `/${r.name}` as CanonicalPath;
        return r.table === undefined
          ? { kind: 'folder', prefix, dir: r.dir }
          : table(prefix, r.table, r.dir);
      });
  }
}

function describeServing(sources: ServeSources): string {
  switch (sources.mode) {
    case 'demo':
      return 'demo';
    case 'folder':
      return sources.dir;
    case 'table':
      return sources.file;
    case 'dataset':
      return sources.roots.map((root) => `/${root.name} = ${root.table ?? root.dir}`).join(', ');
  }
}

export async function serveCommand(ctx: CommandContext): Promise<number> {
  const parsed = parseServeOptions(ctx.argv, ctx.env);
  if ('help' in parsed) {
    ctx.stdout.write(HELP.serve);
    return 0;
  }
  const options = parsed;
  const sources = await resolveSources(options.sources, options.workspace);
  if (options.table !== null && sources.mode !== 'folder') {
    throw new LensletError(
      'usage',
      '--table joins a table to one folder: lenslet serve DIR --table scores.parquet (to serve a table on its own: lenslet serve scores.parquet)',
    );
  }
  const tableRoot = options.root === null ? null : resolve(options.root);
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  const isTTY = (ctx.stderr as NodeJS.WriteStream).isTTY === true;

  const resources: { close(): Promise<unknown> }[] = [];
  let demoDir: string | null = null;
  let serving = false;
  const stop = waitForStopSignal(() => say('Forced exit: labels not yet on disk may be lost.'));
  // Ctrl-C while indexing a big folder: nothing was acknowledged yet, so release the workspace
  // (lock, temp demo folder) and leave without waiting for the scan.
  void stop.stopped.then(async () => {
    if (serving) return;
    say('Stopped before the server started.');
    for (const resource of resources.reverse()) await resource.close().catch(() => {});
    if (demoDir !== null) await rm(demoDir, { recursive: true, force: true });
    process.exit(130);
  });
  try {
    if (sources.mode === 'demo') {
      demoDir = await mkdtemp(join(tmpdir(), 'lenslet-demo-'));
      say('Creating the demo gallery…');
      await createDemoGallery(demoDir);
    }

    // Where labels go: a shared database, the workspace on disk, or memory (loudly) when
    // neither is possible.
    const workspace = sources.workspace;
    let ephemeral: string | null = null;
    if (options.no_write) ephemeral = 'the server was started with --no-write';
    else if (workspace === null)
      ephemeral = 'this is the demo gallery (add --workspace <dir> to keep its labels)';
    else ephemeral = await probeWorkspace(workspace);
    const writable = workspace !== null && (options.no_write ? false : ephemeral === null);
    // Test hook for the soak test: disk faults switched on and off over /admin/faults.
    const faults = ctx.env.LENSLET_TEST_FAULTS === '1' ? new FaultInjector() : undefined;
    if (faults) say('LENSLET_TEST_FAULTS=1: disk fault injection is on (for tests only).');
    if (sources.mode === 'table' && writable && options.store === null) {
      for (const file of await adoptTableLabels(sources.file, workspace)) {
        say(`Importing the original Lenslet's labels kept beside the table: ${file}`);
      }
    }
    const opened =
      options.store !== null
        ? await openDatabaseStore(options.store, workspace, writable, say)
        : await openLabelStore(workspace, options.durability, ephemeral, faults?.wrap(nodeFs()));
    const store: LabelStore = opened.store;
    resources.push(store);
    const durable = opened.ephemeral_reason === null;
    // Caches (dimensions, thumbnails) and the remembered port go wherever the workspace is writable.
    const cacheDir = writable ? workspace : null;

    const progress = createProgress(ctx.stderr, isTTY);
    const served: Served = await openServed(
      servedSources(sources, demoDir, tableRoot, options.path_column),
      {
        watch: options.watch,
        cache_dir: cacheDir,
        joined:
          options.table === null
            ? null
            : { file: resolve(options.table), path_column: options.path_column },
        on_progress: (p) =>
          progress.update(
            p.items,
            Object.values(p.skipped).reduce((a, b) => a + b, 0),
          ),
      },
    );
    progress.done();
    resources.push(served);
    const { gallery, catalog } = served;
    const thumbnailer: Thumbnailer = await openThumbnailer({
      size: options.thumb_size,
      quality: options.thumb_quality,
      cache_dir: cacheDir,
    });
    resources.push(thumbnailer);

    // Access: a token whenever anyone but this machine can reach the server.
    const remembered = writable ? await readServerState(workspace) : {};
    const exposed = !isLoopbackHost(options.host) || options.public_url !== null;
    let token = options.token;
    let tokenOrigin: 'flag' | 'generated' | 'remembered' | null = token === null ? null : 'flag';
    if (token === null && exposed) {
      if (remembered.token !== undefined && TOKEN_PATTERN.test(remembered.token)) {
        token = remembered.token;
        tokenOrigin = 'remembered';
      } else {
        token = generateToken();
        tokenOrigin = 'generated';
      }
    }
    const allowedHosts = machineHostNames();
    if (!isWildcardHost(options.host)) allowedHosts.push(options.host);

    const lenslet = createApp({
      store,
      gallery,
      catalog,
      thumbnailer,
      ...(faults ? { faults } : {}),
      ...opened.shared,
      ...(opened.legacy_answers ? { legacy_answers: opened.legacy_answers } : {}),
      config: {
        version: VERSION,
        read_only: options.read_only,
        ephemeral: !durable,
        ephemeral_reason: opened.ephemeral_reason,
        token,
        public_url: options.public_url,
        allowed_hosts: allowedHosts,
        workspace: durable ? workspace : null,
        thumb_size: options.thumb_size,
        thumb_quality: options.thumb_quality,
        web_dir: findWebDir(),
      },
    });
    resources.push(lenslet);
    const server = createServer(lenslet.handler); // the PATCH /item fast lane, then express
    server.keepAliveTimeout = 65_000;
    const preferred = options.port_given ? options.port : (remembered.port ?? options.port);
    const port = await listenOnFreePort(server, options.host, preferred, options.strict_port);
    resources.push({
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, FORCE_CLOSE_AFTER_MS).unref();
        }),
    });
    const urls = serverUrls(options.host, port, options.public_url);
    // `lenslet compact` finds this server through the lock file (mode 0600): its local URL and a
    // per-run admin token, separate from the access token (routes/admin.ts).
    await opened.setLockInfo(urls.local ?? urls.network[0] ?? '', generateToken());
    if (writable) {
      await writeServerState(workspace, {
        port,
        ...(tokenOrigin === 'generated' || tokenOrigin === 'remembered' ? { token: token! } : {}),
      });
    }

    const status = gallery.status();
    ctx.stdout.write(
      formatBanner({
        version: VERSION,
        serving: describeServing(sources),
        urls,
        token,
        token_origin: tokenOrigin,
        items: status.indexing.items,
        folders: gallery.folderPaths().length,
        skipped: status.indexing.skipped,
        workspace,
        store: opened.location ?? null,
        durability: durable ? options.durability : 'memory',
        ephemeral_reason: opened.ephemeral_reason,
        read_only: options.read_only,
        watch: status.watch,
        port_note: preferred !== 0 && port !== preferred ? `port ${preferred} was taken` : null,
        integrity: durable ? store.status().integrity : null,
      }),
    );
    if (options.open) {
      const target = urls.public ?? urls.local ?? urls.network[0];
      if (target) openBrowser(withToken(target, token), say);
    }

    serving = true;
    const { signal } = await stop.stopped;
    say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping (press Ctrl-C again to force)…`);
    await stopAll(server, store, lenslet, served, thumbnailer);
    resources.length = 0;
    const kept = opened.shared
      ? 'Stopped. Every acknowledged label is committed in the database.'
      : 'Stopped. Every acknowledged label is on disk.';
    say(durable ? kept : 'Stopped.');
    return 0;
  } finally {
    stop.dispose();
    for (const resource of resources.reverse()) await resource.close().catch(() => {});
    if (demoDir !== null) await rm(demoDir, { recursive: true, force: true });
  }
}

/** The orderly stop (see the module comment). */
async function stopAll(
  server: ReturnType<typeof createServer>,
  store: LabelStore,
  lenslet: { close(): Promise<void> },
  served: Served,
  thumbnailer: Thumbnailer,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await store.close();
  await lenslet.close();
  const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
  await closed;
  clearTimeout(force);
  await served.close();
  await thumbnailer.close();
}
