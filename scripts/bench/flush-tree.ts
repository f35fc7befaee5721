/**
 * fsync every file under a directory, and the directories. A benchmark that has just written or
 * copied a workspace flushes it before timing an open: a real restart opens files the store
 * fsynced long ago, while the open's first fsync (the workspace lock) would otherwise wait for
 * the fixture's hundreds of MB of dirty pages (docs/benchmarks.md, "Start-up, fourth round").
 */
import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function flushTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) flushTree(path);
    else {
      const fd = openSync(path, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
  }
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
}
