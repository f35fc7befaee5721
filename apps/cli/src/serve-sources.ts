/**
 * What `lenslet serve` serves, from its positional arguments:
 *   (none)                      the built-in demo gallery
 *   /data/photos                one folder at `/`; workspace `/data/photos/.lenslet`
 *   cats=/data/cats dogs=/d     named folders at `/cats`, `/dogs` (dataset mode); needs --workspace
 *   /data/cats /data/dogs       the same, named after each folder
 * `name=dir` is only read as a name when the whole argument is not an existing directory, so a
 * folder that really is called `a=b` can still be served.
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { hasControlChar, LensletError } from '@lenslet/core';

export type ServeRoot = { readonly name: string | null; readonly dir: string };

export type ServeSources =
  | { readonly mode: 'demo'; readonly workspace: string | null }
  | { readonly mode: 'folder'; readonly dir: string; readonly workspace: string }
  | {
      readonly mode: 'dataset';
      readonly roots: readonly { name: string; dir: string }[];
      readonly workspace: string;
    };

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

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
    if (await isDirectory(path)) {
      roots.push({ name: null, dir: path });
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      const name = checkName(arg.slice(0, eq), arg);
      const dir = resolve(cwd, arg.slice(eq + 1));
      if (!(await isDirectory(dir))) {
        throw new LensletError('not_found', `no folder ${dir} (for the dataset "${name}")`);
      }
      roots.push({ name, dir });
      continue;
    }
    throw new LensletError('not_found', `no folder ${path}`);
  }
  const [only] = roots;
  if (roots.length === 1 && only!.name === null) {
    return { mode: 'folder', dir: only!.dir, workspace: workspace ?? join(only!.dir, '.lenslet') };
  }
  const named = roots.map((root) => ({
    name: root.name ?? checkName(basename(root.dir), root.dir),
    dir: root.dir,
  }));
  const seen = new Set<string>();
  for (const root of named) {
    if (seen.has(root.name)) {
      throw new LensletError(
        'usage',
        `two folders would both be served as /${root.name}; name them: name=dir`,
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
  return { mode: 'dataset', roots: named, workspace: workspace ?? join(named[0]!.dir, '.lenslet') };
}
