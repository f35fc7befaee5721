/**
 * Folder scopes over item paths. Rows sorted by path put a folder's subtree in one contiguous
 * run (every path under '/a/b' starts with '/a/b/'), found by two binary searches.
 */
import type { Scope } from './query-types.ts';

function lowerBound(order: Uint32Array, paths: readonly string[], key: string): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (paths[order[mid]!]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows in the scope (1 = in), or null for "every row" (the root, recursive). */
export function scopeMask(
  scope: Scope | undefined,
  paths: readonly string[],
  pathOrderOf: () => Uint32Array,
): Uint8Array | null {
  const folder = (scope?.folder ?? '/').replace(/\/+$/, '');
  const recursive = scope?.recursive ?? true;
  if (folder === '' && recursive) return null;
  const pathOrder = pathOrderOf();
  const prefix = `${folder}/`;
  // '0' is the character after '/', so [prefix, folder + '0') holds every path under the folder.
  const start = lowerBound(pathOrder, paths, prefix);
  const end = lowerBound(pathOrder, paths, `${folder}0`);
  const out = new Uint8Array(paths.length);
  for (let i = start; i < end; i++) {
    const row = pathOrder[i]!;
    if (recursive || paths[row]!.indexOf('/', prefix.length) < 0) out[row] = 1;
  }
  return out;
}

/** Folders of the table: every ancestor of every item path, '/' first, sorted. */
export function folderPaths(paths: readonly string[]): string[] {
  const folders = new Set<string>(['/']);
  for (const path of paths) {
    let i = path.lastIndexOf('/');
    while (i > 0) {
      const folder = path.slice(0, i);
      if (folders.has(folder)) break;
      folders.add(folder);
      i = path.lastIndexOf('/', i - 1);
    }
  }
  return [...folders].sort();
}
