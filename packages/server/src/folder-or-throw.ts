/** The folder at `path`, or `not_found` (saying so when `path` is an image). */
import { type CanonicalPath, LensletError } from '@lenslet/core';
import type { FolderEntry, GalleryIndex } from '@lenslet/gallery';

export function folderOrThrow(gallery: GalleryIndex, path: CanonicalPath): FolderEntry {
  const folder = gallery.folder(path);
  if (folder === undefined) {
    const hint = gallery.get(path) ? ' (it is an image: use /item/detail)' : '';
    throw new LensletError('not_found', `no folder ${path}${hint}`);
  }
  return folder;
}
