/**
 * The original Lenslet keeps a table's labels beside the table file, in folder mode's formats:
 * `<table>.lenslet.labels.log.jsonl` and `<table>.lenslet.labels.snapshot.json` (e.g.
 * `scores.parquet.lenslet.labels.log.jsonl`). When a table's workspace holds no labels yet, they
 * are copied into it under the names the store's import of an original workspace reads
 * (docs/format.md §9); opening the store then imports them. The files beside the table are left
 * as they were, so the original can still open its table.
 */
import { copyFile, mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

const ADOPTED = [
  ['labels.log.jsonl', '.lenslet.labels.log.jsonl'],
  ['labels.snapshot.json', '.lenslet.labels.snapshot.json'],
] as const;

/** Copy the original's labels of `table` into an empty `workspace`; the names copied. */
export async function adoptTableLabels(table: string, workspace: string): Promise<string[]> {
  const held = await readdir(workspace).catch(() => [] as string[]);
  // Anything of ours (meta, log, snapshot, an earlier import) means the labels already live here.
  if (held.some((name) => name.startsWith('labels.') || name === 'legacy')) return [];
  const found: (readonly [string, string])[] = [];
  for (const [inside, suffix] of ADOPTED) {
    const beside = `${table}${suffix}`;
    const file = await stat(beside).catch(() => null);
    if (file?.isFile()) found.push([inside, beside]);
  }
  if (found.length === 0) return [];
  await mkdir(workspace, { recursive: true });
  for (const [inside, beside] of found) {
    // Whole or not at all: a copy cut short by a crash is never read as the original's labels.
    const tmp = join(workspace, `${inside}.adopt.tmp`);
    await copyFile(beside, tmp);
    await rename(tmp, join(workspace, inside));
  }
  return found.map(([, beside]) => beside);
}
