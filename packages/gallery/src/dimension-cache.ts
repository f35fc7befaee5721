/**
 * The dimension cache on disk: lets a restart skip every header read whose file has the same
 * path, size and mtime as last time. Written atomically (temp file + rename); a missing, stale or
 * damaged cache only costs a cold scan.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import {
  type CacheRoots,
  type DimensionRecord,
  decodeDimensions,
  encodeDimensions,
} from './dimension-cache-codec.ts';
import type { KnownImage } from './scan.ts';

/** Where the cache lives inside a workspace/cache directory. */
export function dimensionCacheFile(cacheDir: string): string {
  return join(cacheDir, 'cache', 'dimensions.bin');
}

/** The cached records still valid for `roots`, or an empty map. */
export async function loadDimensionCache(
  file: string,
  roots: CacheRoots,
): Promise<Map<CanonicalPath, KnownImage>> {
  try {
    return decodeDimensions(await readFile(file), roots) ?? new Map();
  } catch {
    return new Map();
  }
}

let tempCounter = 0;

/** Replace the cache atomically; false (and nothing changed) when it cannot be written. */
export async function saveDimensionCache(
  file: string,
  roots: CacheRoots,
  records: Iterable<DimensionRecord>,
): Promise<boolean> {
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, encodeDimensions(roots, records));
    await rename(temp, file);
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    return false;
  }
}
