/**
 * What `lenslet serve` serves, from its positional arguments:
 *   (none)                      the built-in demo gallery
 *   /data/photos                one folder at `/`; workspace `/data/photos/.lenslet`
 *   cats=/data/cats dogs=/d     named folders at `/cats`, `/dogs` (dataset mode); needs --workspace
 *   /data/cats /data/dogs       the same, named after each folder
 *   /data/scores.parquet        one table (.parquet .csv .tsv .jsonl) at `/`; workspace
 *                               `/data/scores.lenslet` (named after the table)
 *   cats=/data/cats s=/d/s.csv  folders and tables mixed (dataset mode); needs --workspace
 * `name=dir` is only read as a name when the whole argument is not an existing directory, so a
 * folder that really is called `a=b` can still be served.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { hasControlChar, LensletError } from '@lenslet/core';
import { tableFormat } from '@lenslet/table';

/** A folder, or a table file (`table`; `dir` is then the table's folder). */
export type ServeRoot = {
  readonly name: string | null;
  readonly dir: string;
  readonly table?: string;
};

export type ServeSources =
  | { readonly mode: 'demo'; readonly workspace: string | null }
  | { readonly mode: 'folder'; readonly dir: string; readonly workspace: string }
  | {
      readonly mode: 'table';
      readonly file: string;
      readonly dir: string;
      readonly workspace: string;
    }
  | {
      readonly mode: 'dataset';
      readonly roots: readonly { name: string; dir: string; table?: string }[];
      readonly workspace: string;
    };

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function isTableFile(path: string): Promise<boolean> {
  if (tableFormat(path) === null) return false;
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** A root for `path` (a folder or a table file), or null when it is neither. */
async function rootAt(name: string | null, path: string): Promise<ServeRoot | null> {
  if (await isDirectory(path)) return { name, dir: path };
  if (await isTableFile(path)) return { name, dir: dirname(path), table: path };
  return null;
}

/** 'scores.parquet' => 'scores' */
const stem = (file: string) => basename(file, extname(file));

function checkName(name: string, arg: string): string {
  const normalized = name.normalize('NFC');
  if (
    normalized === '' ||
    normalized === '.' ||
    normalized === '..' ||
    /[/\\]/.test(normalized) ||
    normalized.startsWith('.') ||
    hasControlChar(normalized)
  ) {
    throw new LensletError(
      'usage',
      `"${arg}": a dataset name must be one folder name (no "/", "\\", control characters or leading "."), e.g. cats=/data/cats`,
    );
  }
  return normalized;
}

/** Read the positional arguments (relative to `cwd`) and the --workspace flag. */
export async function resolveSources(
  args: readonly string[],
  workspaceFlag: string | null,
  cwd = process.cwd(),
): Promise<ServeSources> {
  const workspace = workspaceFlag === null ? null : resolve(cwd, workspaceFlag);
  if (args.length === 0) return { mode: 'demo', workspace };
  const roots: ServeRoot[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    const whole = await rootAt(null, path);
    if (whole) {
      roots.push(whole);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      const name = checkName(arg.slice(0, eq), arg);
      const target = resolve(cwd, arg.slice(eq + 1));
      const root = await rootAt(name, target);
      if (!root) {
        throw new LensletError(
          'not_found',
          `no folder or table file ${target} (for the dataset "${name}")`,
        );
      }
      roots.push(root);
      continue;
    }
    throw new LensletError(
      'not_found',
      tableFormat(path) === null
        ? `no folder ${path}`
        : `no table file ${path} (or it is not a regular file)`,
    );
  }
  const [only] = roots;
  if (roots.length === 1 && only!.name === null) {
    if (only!.table !== undefined) {
      return {
        mode: 'table',
        file: only!.table,
        dir: only!.dir,
        workspace: workspace ?? join(only!.dir, `${stem(only!.table)}.lenslet`),
      };
    }
    return { mode: 'folder', dir: only!.dir, workspace: workspace ?? join(only!.dir, '.lenslet') };
  }
  const named = roots.map((root) => ({
    name:
      root.name ??
      (root.table === undefined
        ? checkName(basename(root.dir), root.dir)
        : checkName(stem(root.table), root.table)),
    dir: root.dir,
    ...(root.table === undefined ? {} : { table: root.table }),
  }));
  const seen = new Set<string>();
  for (const root of named) {
    if (seen.has(root.name)) {
      throw new LensletError(
        'usage',
        `two sources would both be served as /${root.name}; name them: name=dir`,
      );
    }
    seen.add(root.name);
  }
  if (named.length > 1 && workspace === null) {
    throw new LensletError(
      'usage',
      'serving several folders needs --workspace <dir> to keep their labels in one place, e.g. lenslet serve cats=/data/cats dogs=/data/dogs --workspace /data/labels',
    );
  }
  const first = named[0]!;
  const fallback =
    first.table === undefined
      ? join(first.dir, '.lenslet')
      : join(first.dir, `${stem(first.table)}.lenslet`);
  return { mode: 'dataset', roots: named, workspace: workspace ?? fallback };
}
