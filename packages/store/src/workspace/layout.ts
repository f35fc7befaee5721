/**
 * Names of everything inside a workspace directory (`<dir>/.lenslet`). One place, so recovery,
 * compaction, `lenslet replay` and docs/format.md agree.
 *
 *   lock                      single-writer lock (JSON, mode 0600)
 *   labels.meta.json          {format, log_id, created_at}: marks a Lenslet (TypeScript) workspace
 *   labels.log.jsonl          the live log
 *   labels.log.idx            history index of the live log (derived, rebuilt when missing)
 *   labels.snapshot.json      latest snapshot
 *   labels.<from>-<to>.jsonl  a rotated log segment waiting to be archived (same directory as
 *                             the live log, so a rotation is one atomic rename + create)
 *   archive/labels.<from>-<to>.jsonl.gz      archived log: one gzip member per block
 *   archive/labels.<from>-<to>.idx           block table + history index of that archive
 *   quarantine/               bytes cut off or moved aside by recovery and repair
 *   legacy/                   files of an original (Python) Lenslet workspace after import
 */

export const LOCK_FILE = 'lock';
export const META_FILE = 'labels.meta.json';
export const LOG_FILE = 'labels.log.jsonl';
export const LOG_INDEX_FILE = 'labels.log.idx';
export const SNAPSHOT_FILE = 'labels.snapshot.json';
export const ARCHIVE_DIR = 'archive';
export const QUARANTINE_DIR = 'quarantine';
export const LEGACY_DIR = 'legacy';

const SEQ_DIGITS = 12;

/** 'labels.000000000001-000000100000' for the seq range 1..100000. */
export function rangeStem(from: number, to: number): string {
  return `labels.${String(from).padStart(SEQ_DIGITS, '0')}-${String(to).padStart(SEQ_DIGITS, '0')}`;
}

export const segmentName = (from: number, to: number) => `${rangeStem(from, to)}.jsonl`;
export const archiveName = (from: number, to: number) => `${rangeStem(from, to)}.jsonl.gz`;
export const archiveIndexName = (from: number, to: number) => `${rangeStem(from, to)}.idx`;

export type SeqRange = { readonly from: number; readonly to: number };

const RANGE_FILE = /^labels\.(\d{12,})-(\d{12,})\.(jsonl|jsonl\.gz|idx)$/;

/** The seq range and kind in a segment/archive file name, or null for any other name. */
export function parseRangeName(
  name: string,
): (SeqRange & { kind: 'jsonl' | 'jsonl.gz' | 'idx' }) | null {
  const match = RANGE_FILE.exec(name);
  if (!match) return null;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from)
    return null;
  return { from, to, kind: match[3] as 'jsonl' | 'jsonl.gz' | 'idx' };
}

/** Join a workspace-relative name onto the workspace directory. */
export function inWorkspace(dir: string, ...names: string[]): string {
  return [dir, ...names].join('/');
}
