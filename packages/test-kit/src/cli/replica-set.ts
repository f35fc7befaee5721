/**
 * Several `lenslet serve` replicas (the built CLI) on one PostgreSQL label log, behind a real
 * HAProxy: the topology of docs/deploy.md, on loopback. The replicas serve one temp copy of a
 * gallery (as a folder shared over NFS would be), each on its own free port, with
 * `--store <url>`; HAProxy round-robins over them. Each replica is a ManagedServer, so a test can
 * SIGKILL one and start it again on the same port.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../process/free-port.ts';
import { type Haproxy, startHaproxy } from '../process/haproxy.ts';
import { FIXTURE_GALLERY } from '../repo.ts';
import { ManagedServer } from './managed-server.ts';

export type ReplicaSetOptions = {
  /** The label store every replica uses (`--store`). */
  readonly store: string;
  readonly replicas?: number;
  /** The gallery to copy (default: test/fixtures/gallery), or a folder to serve as it is. */
  readonly gallery?: string;
  readonly copy?: boolean;
  /** Extra `serve` flags. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
};

export type ReplicaSet = {
  /** Through HAProxy. */
  readonly url: string;
  readonly replicas: readonly ManagedServer[];
  readonly haproxy: Haproxy;
  /** The gallery folder the replicas serve. */
  readonly dir: string;
  /** Stop HAProxy and every replica (SIGTERM), remove the copied gallery. */
  stop(): Promise<void>;
};

/** Start the replicas (in parallel), then HAProxy in front of them. */
export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const count = options.replicas ?? 3;
  const copy = options.copy ?? true;
  let dir = options.gallery ?? FIXTURE_GALLERY;
  if (copy) {
    const root = mkdtempSync(join(tmpdir(), 'lenslet-replicas-'));
    cpSync(dir, join(root, 'gallery'), { recursive: true });
    dir = join(root, 'gallery');
  }
  const replicas: ManagedServer[] = [];
  for (let i = 0; i < count; i++) {
    replicas.push(
      new ManagedServer({
        args: [dir, '--store', options.store, '--watch', 'off', ...(options.args ?? [])],
        port: await freePort(),
        ...(options.env ? { env: options.env } : {}),
      }),
    );
  }
  // The first start creates the schema and binds the workspace; the others join it.
  await replicas[0]!.start();
  await Promise.all(replicas.slice(1).map((r) => r.start()));
  const haproxy = await startHaproxy(
    replicas.map((r, i) => ({ name: `r${i + 1}`, port: Number(new URL(r.url).port) })),
  );
  return {
    url: haproxy.url,
    replicas,
    haproxy,
    dir,
    async stop() {
      await haproxy.stop();
      await Promise.all(replicas.map((r) => r.stop()));
      if (copy) rmSync(join(dir, '..'), { recursive: true, force: true });
    },
  };
}
