/**
 * `lenslet serve` (the built CLI) on a temp copy of a gallery, on a free port: what the browser
 * tests and the web benchmark run against.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../process/free-port.ts';
import { FIXTURE_GALLERY, ROOT } from '../repo.ts';
import { ManagedServer } from './managed-server.ts';

const STOP_GRACE_MS = 10_000;

export type Served = {
  readonly url: string;
  /** The temp copy being served. */
  readonly dir: string;
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port and folder (restart tests). */
  start(): Promise<void>;
};

export type ServeOptions = {
  /** How long a start may take, indexing included (default 30 s; a big gallery needs more). */
  readonly start_timeout_ms?: number;
};

/** Copy `fixture` to a temp dir and serve it; resolves once it answers /health. */
export async function serveGallery(
  fixture = FIXTURE_GALLERY,
  extraArgs: readonly string[] = [],
  { start_timeout_ms = 30_000 }: ServeOptions = {},
): Promise<Served> {
  if (!existsSync(join(ROOT, 'apps', 'web', 'dist', 'index.html'))) {
    throw new Error('the web client is not built: run `npm run build` first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-web-'));
  cpSync(fixture, dir, { recursive: true });
  const port = await freePort();
  const server = new ManagedServer({ args: [dir, ...extraArgs], port });
  const start = async () => {
    await server.start(start_timeout_ms);
  };
  await start();
  return {
    url: server.url,
    dir,
    port,
    start,
    stop: (signal = 'SIGTERM') => server.stop(signal, STOP_GRACE_MS),
  };
}

/** Remove the temp copy a `serveGallery` made (after `stop`). */
export function removeServed(served: Served | undefined): void {
  if (served) rmSync(served.dir, { recursive: true, force: true });
}
