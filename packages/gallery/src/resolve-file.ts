/**
 * The file behind an indexed image, checked at request time: the realpath must still be a file
 * inside its root's realpath. A symlink swapped after indexing to point elsewhere, or a folder
 * replaced by a link, is refused — a file outside a root is never served.
 */
import { realpath, stat } from 'node:fs/promises';
import { type CanonicalPath, LensletError, parentPath } from '@lenslet/core';
import type { IndexState } from './index-state.ts';
import type { ScanRoot } from './scan.ts';

function isInside(real: string, root: string): boolean {
  return real.startsWith(root.endsWith('/') ? root : `${root}/`);
}

export async function resolveIndexedFile(
  state: IndexState,
  roots: readonly ScanRoot[],
  path: CanonicalPath,
): Promise<string> {
  const disk = state.tree.get(path) === undefined ? null : state.diskPath(path);
  const location = state.locations.get(parentPath(path));
  if (disk === null) throw new LensletError('not_found', `no image at ${path}`);
  const root = roots[location?.root ?? -1];
  if (root === undefined) throw new LensletError('not_found', `no image at ${path}`);
  let real: string;
  try {
    real = await realpath(disk);
  } catch {
    throw new LensletError('not_found', `the file for ${path} no longer exists`);
  }
  if (!isInside(real, root.real)) {
    throw new LensletError('not_found', `the file for ${path} now lies outside its folder`);
  }
  const s = await stat(real).catch(() => null);
  if (s === null || !s.isFile())
    throw new LensletError('not_found', `the file for ${path} is not a file`);
  return real;
}
