/**
 * `labels.meta.json`: `{"format":"lenslet.workspace.v1","log_id":"…","created_at":"…"}`, plus
 * `"first_seq":N` when the log starts after seq 1 over the empty state (an imported original
 * workspace: its ids continue the original's, docs/format.md §9). Its
 * presence marks a workspace written by this Lenslet (the original Python Lenslet used the same
 * log and snapshot file names, so file names alone cannot tell the two apart). `log_id` names this
 * log; it changes only when the log is replaced (a repair renumbers seqs), which tells live
 * clients to resync.
 */
import { randomUUID } from 'node:crypto';
import { errorCode, type FsPort, writeFileAtomic } from '../port/fs-port.ts';
import { META_FILE } from './layout.ts';

export const WORKSPACE_FORMAT = 'lenslet.workspace.v1';

export type WorkspaceMeta = {
  readonly format: string;
  readonly log_id: string;
  readonly created_at: string;
  /** Seq of the log's first record: 1, or past the original's ids after an import. */
  readonly first_seq: number;
};

/** The meta file, or null when absent or unreadable. */
export async function readMeta(fs: FsPort, dir: string): Promise<WorkspaceMeta | null> {
  let data: Uint8Array | null;
  try {
    data = await fs.readFile(`${dir}/${META_FILE}`);
  } catch (error) {
    if (errorCode(error) === 'EISDIR') return null;
    throw error;
  }
  if (!data) return null;
  try {
    const meta = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<WorkspaceMeta>;
    if (meta.format === WORKSPACE_FORMAT && typeof meta.log_id === 'string' && meta.log_id) {
      const first = meta.first_seq;
      return {
        format: meta.format,
        log_id: meta.log_id,
        created_at: String(meta.created_at ?? ''),
        first_seq: Number.isSafeInteger(first) && (first as number) >= 1 ? (first as number) : 1,
      };
    }
  } catch {}
  return null;
}

/** Write a new meta file durably (a fresh log_id unless one is given; first_seq 1 unless given). */
export async function writeMeta(
  fs: FsPort,
  dir: string,
  now: Date,
  log_id: string = randomUUID(),
  first_seq = 1,
): Promise<WorkspaceMeta> {
  const meta: WorkspaceMeta = {
    format: WORKSPACE_FORMAT,
    log_id,
    created_at: now.toISOString(),
    first_seq,
  };
  // first_seq is written only when it says something, so ordinary meta files keep their bytes.
  const { first_seq: _first, ...plain } = meta;
  const text = JSON.stringify(first_seq > 1 ? meta : plain);
  await writeFileAtomic(fs, dir, META_FILE, Buffer.from(`${text}\n`));
  return meta;
}
