/**
 * The two ends of `lenslet migrate`: a workspace (JSONL) or a database (PostgreSQL). A source is
 * opened as a label store, so the copy reads exactly what a server would serve — every record from
 * seq 1 with its idempotency fields (mutation_id, fp), the log id and the saved views. A workspace
 * destination is written as the JSONL store writes it (docs/format.md): `labels.meta.json` with
 * the source's log id, the records' lines in `labels.log.jsonl`, `views.json`; a database
 * destination gets the same through `importLog`.
 */
import { statSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type LabelRecord, LensletError, type ViewsDocument } from '@lenslet/core';
import { openPostgresStore, redactUrl } from '@lenslet/postgres';
import {
  encodeRecord,
  type LabelStore,
  LOG_FILE,
  openJsonlStore,
  SNAPSHOT_FILE,
} from '@lenslet/store';
import { resolveWorkspace, snapshotWorker } from './workspace.ts';

export type LogEnd =
  | { readonly kind: 'workspace'; readonly dir: string }
  | { readonly kind: 'database'; readonly url: string };

/** The workspace's meta file and views file (docs/format.md; the server's views-file.ts). */
const META_FILE = 'labels.meta.json';
const VIEWS_FILE = 'views.json';
const BATCH_RECORDS = 5_000;

const isUrl = (raw: string) => /^postgres(?:ql)?:\/\//i.test(raw);

/** `raw` as an end: a postgres:// URL, else a folder (or its .lenslet directory). */
export function toEnd(raw: string, role: 'from' | 'to', cwd: string): LogEnd {
  if (isUrl(raw)) return { kind: 'database', url: raw };
  if (role === 'from') return { kind: 'workspace', dir: resolveWorkspace(raw, cwd).dir };
  const path = resolve(cwd, raw);
  return { kind: 'workspace', dir: basename(path) === '.lenslet' ? path : join(path, '.lenslet') };
}

export function describeEnd(end: LogEnd): string {
  return end.kind === 'database' ? redactUrl(end.url) : end.dir;
}

/** Open an end as a label store (a source, or a destination to verify). */
export function openEnd(end: LogEnd, warn: (message: string) => void): Promise<LabelStore> {
  return end.kind === 'database'
    ? openPostgresStore(end.url, { onWarning: warn, snapshot_every_records: 0 })
    : openJsonlStore(end.dir, { worker: snapshotWorker(), onWarning: warn });
}

/** The saved views of an open end. */
export async function viewsOf(end: LogEnd, store: LabelStore): Promise<ViewsDocument> {
  if (end.kind === 'database')
    return (store as Awaited<ReturnType<typeof openPostgresStore>>).views.read();
  const text = await readFile(join(end.dir, VIEWS_FILE), 'utf8').catch(() => null);
  if (text === null) return { version: 1, revision: 0, views: [] };
  const doc = JSON.parse(text) as { revision?: number; views?: ViewsDocument['views'] };
  if (!Array.isArray(doc.views)) {
    throw new LensletError('internal', `${join(end.dir, VIEWS_FILE)} holds no list of views`);
  }
  return { version: 1, revision: doc.revision ?? 1, views: doc.views };
}

/** Every record of `store` up to `head`, in batches. */
export async function* recordBatches(
  store: LabelStore,
  head: number,
): AsyncIterable<LabelRecord[]> {
  let batch: LabelRecord[] = [];
  for await (const { record } of store.replay(0, head)) {
    batch.push(record);
    if (batch.length >= BATCH_RECORDS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Refuse a workspace destination that already holds labels or views. */
export function assertEmptyWorkspace(dir: string): void {
  const taken = [META_FILE, LOG_FILE, SNAPSHOT_FILE, 'archive', VIEWS_FILE].filter((name) => {
    try {
      const info = statSync(join(dir, name));
      return info.isDirectory() || info.size > 0;
    } catch {
      return false;
    }
  });
  if (taken.length > 0) {
    throw new LensletError(
      'precondition_failed',
      `${dir} already holds ${taken.join(', ')}; migrate into a workspace without labels`,
    );
  }
}

/**
 * Write a JSONL workspace holding `batches` under `log_id`, and the views; the records follow
 * `origin` (0, or the seq an imported original workspace's log starts after). Resolves the head.
 */
export async function writeWorkspace(
  dir: string,
  log_id: string,
  batches: AsyncIterable<readonly LabelRecord[]>,
  views: ViewsDocument,
  origin = 0,
): Promise<number> {
  assertEmptyWorkspace(dir);
  await mkdir(dir, { recursive: true });
  let last = origin;
  const log = await open(join(dir, LOG_FILE), 'w');
  try {
    for await (const batch of batches) {
      let text = '';
      for (const record of batch) {
        if (record.seq !== last + 1) {
          throw new LensletError(
            'corrupt_log',
            `the source jumps from seq ${last} to ${record.seq}`,
          );
        }
        last = record.seq;
        text += `${encodeRecord(record)}\n`;
      }
      await log.write(text);
    }
    await log.sync();
  } finally {
    await log.close();
  }
  const meta = {
    format: 'lenslet.workspace.v1',
    log_id,
    created_at: new Date().toISOString(),
    ...(origin > 0 ? { first_seq: origin + 1 } : {}),
  };
  await writeDurably(dir, META_FILE, `${JSON.stringify(meta)}\n`);
  if (views.revision > 0)
    await writeDurably(dir, VIEWS_FILE, `${JSON.stringify(views, null, 2)}\n`);
  const folder = await open(dir, 'r');
  await folder.sync().finally(() => folder.close());
  return last;
}

async function writeDurably(dir: string, name: string, text: string): Promise<void> {
  const temp = join(dir, `.${name}.migrate.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, name));
}
