/**
 * Which label log a workspace belongs to when its labels live in PostgreSQL (`--store`): the
 * identity of a gallery is its workspace's log id. `<workspace>/label-store.json` remembers the
 * log id (and, for people, the database) a workspace was first served with, so a replica started
 * on it later is refused by a database that holds another workspace's log (`log_id` mismatch)
 * instead of mixing two galleries' labels.
 *
 * How a workspace's log id is chosen when a replica starts with `--store`:
 * 1. bound before (label-store.json): that id — another one in the database is refused;
 * 2. else the workspace has labels of its own (a JSONL log): its log id — and the database must
 *    already hold that log (copied with `lenslet migrate`), else the start is refused, so no
 *    label is left behind in the folder;
 * 3. else (a new workspace): the log the database holds, or a new one for an empty database —
 *    said on stderr, and remembered.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_FILE, SNAPSHOT_FILE } from '@lenslet/store';
import { z } from 'zod';
import { writePrivateJson } from './workspace-state.ts';

export const BINDING_FILE = 'label-store.json';
/** The JSONL workspace's meta file (docs/format.md). */
const META_FILE = 'labels.meta.json';

const bindingSchema = z.object({
  log_id: z.string().min(1),
  store: z.string(),
  bound_at: z.string(),
});

export type StoreBinding = z.infer<typeof bindingSchema>;

/** The binding, or null when there is none (an unreadable file is an error naming it). */
export async function readBinding(workspace: string): Promise<StoreBinding | null> {
  let text: string;
  try {
    text = await readFile(join(workspace, BINDING_FILE), 'utf8');
  } catch {
    return null;
  }
  const parsed = bindingSchema.safeParse(safeJson(text));
  if (parsed.success) return parsed.data;
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Remember the log a workspace serves (best effort: an unwritable workspace keeps none). */
export function writeBinding(workspace: string, binding: StoreBinding): Promise<void> {
  return writePrivateJson(workspace, BINDING_FILE, binding);
}

/** The workspace's own JSONL log, when it holds labels: its log id; else null. */
export async function localLog(workspace: string): Promise<{ log_id: string } | null> {
  const size = (name: string) => {
    try {
      return statSync(join(workspace, name)).size;
    } catch {
      return 0;
    }
  };
  const hasLabels =
    size(LOG_FILE) > 0 || existsSync(join(workspace, SNAPSHOT_FILE)) || hasArchive(workspace);
  if (!hasLabels) return null;
  const meta = safeJson(await readFile(join(workspace, META_FILE), 'utf8').catch(() => 'null')) as {
    log_id?: unknown;
  } | null;
  return typeof meta?.log_id === 'string' ? { log_id: meta.log_id } : { log_id: 'unknown' };
}

function hasArchive(workspace: string): boolean {
  try {
    return statSync(join(workspace, 'archive')).isDirectory();
  } catch {
    return false;
  }
}
