/**
 * Which label store `lenslet serve` opens: the label log in PostgreSQL when `--store` names one
 * (serve-postgres.ts: several replicas share it), else the durable JSONL log in the workspace
 * (which also takes the workspace lock: a second server on it fails with workspace_locked), or
 * memory when labels must not (`--no-write`) or cannot (unwritable workspace, demo) reach the disk.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerDeps } from '@lenslet/server';
import {
  type FsPort,
  type LabelStore,
  type LegacyAnswer,
  nodeFs,
  openJsonlStore,
  openMemoryStore,
  readLegacyAnswers,
} from '@lenslet/store';
import { openSharedStore } from './serve-postgres.ts';

export type OpenedStore = {
  readonly store: LabelStore;
  /** Null when labels are durable; otherwise why they are kept in memory (shown loudly). */
  readonly ephemeral_reason: string | null;
  /** Record the server's URL in the workspace lock (JSONL store only). */
  setLockInfo(url: string, adminToken: string): Promise<void>;
  /** A log shared with other replicas: what createApp needs besides the store. */
  readonly shared?: Pick<ServerDeps, 'sync' | 'views' | 'presence_sharing'>;
  /** Where labels go, for the banner, when it is not the workspace (a database). */
  readonly location?: string;
  /** The original Lenslet's stored PATCH answers, when the workspace was imported from it. */
  readonly legacy_answers?: ReadonlyMap<string, LegacyAnswer>;
};

/** Open the label log in PostgreSQL at `url` (see serve-postgres.ts). */
export async function openDatabaseStore(
  url: string,
  workspace: string | null,
  writable: boolean,
  say: (line: string) => void,
): Promise<OpenedStore> {
  const opened = await openSharedStore(url, workspace, writable, say);
  // A workspace imported from the original and migrated into the database keeps answering the
  // original's retried PATCHes from every replica (each reads the shared workspace's copy).
  const answers = workspace === null ? {} : await legacyAnswersOf(nodeFs(), workspace);
  return {
    store: opened.store,
    ephemeral_reason: null,
    setLockInfo: async () => {},
    shared: opened.deps,
    location: opened.describe,
    ...answers,
  };
}

/** The original Lenslet's stored PATCH answers kept in `workspace`, as an OpenedStore part. */
async function legacyAnswersOf(fs: FsPort, workspace: string): Promise<Partial<OpenedStore>> {
  const answers = await readLegacyAnswers(fs, workspace);
  return answers.size > 0 ? { legacy_answers: answers } : {};
}

/** The bundled snapshot worker beside the CLI bundle; null when running from source. */
function snapshotWorker(): { url: URL } | null {
  const url = new URL('./snapshot-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? { url } : null;
}

export async function openLabelStore(
  workspace: string | null,
  durability: 'fsync' | 'relaxed',
  ephemeralReason: string | null,
  /** The filesystem port (test hook: a fault injector around the real disk); default the disk. */
  fs?: FsPort,
): Promise<OpenedStore> {
  if (workspace === null || ephemeralReason !== null) {
    const reason = ephemeralReason ?? 'there is no workspace';
    return {
      // The store reports the reason itself, so /health and the live stream both carry it.
      store: openMemoryStore({ reason }),
      ephemeral_reason: reason,
      setLockInfo: async () => {},
    };
  }
  const store = await openJsonlStore(workspace, {
    durability,
    worker: snapshotWorker(),
    ...(fs ? { fs } : {}),
  });
  if (store.imported > 0) {
    process.stderr.write(
      `Imported the labels of ${store.imported.toLocaleString('en-US')} images from the original Lenslet workspace in ${workspace}; live event ids continue after ${store.head().toLocaleString('en-US')}, so its open tabs resume.\n`,
    );
  }
  return {
    store,
    ephemeral_reason: null,
    setLockInfo: (url, adminToken) => store.setLockInfo({ url, admin_token: adminToken }),
    ...(await legacyAnswersOf(fs ?? nodeFs(), workspace)),
  };
}
