/**
 * `openThumbnailer`: WebP thumbnails from a bounded memory cache, then the disk cache, then
 * sharp. At most `concurrency` renders run at once (each holds one libuv thread); concurrent
 * requests for one thumbnail share a single render; a request whose caller gave up (AbortSignal)
 * before its render started is dropped.
 *
 * Cache key: path, file size and mtime, thumbnail size and quality — a changed file or setting
 * never serves a stale thumbnail.
 */
import { join } from 'node:path';
import { LensletError } from '@lenslet/core';
import sharp from 'sharp';
import { ByteLru } from './byte-lru.ts';
import type { ImageEntry, Thumbnailer, ThumbnailStats } from './gallery.ts';
import { THUMB_DISK_BYTES, ThumbDiskCache } from './thumb-disk-cache.ts';
import { renderThumbnail } from './thumb-render.ts';

export type ThumbnailerOptions = {
  /** Short edge in pixels (default 256). */
  readonly size?: number;
  /** WebP quality 1–100 (default 70). */
  readonly quality?: number;
  /** Workspace directory; thumbnails are kept in `<cache_dir>/thumbs/` when writable. */
  readonly cache_dir?: string | null;
  /** Memory cache budget in bytes (default 64 MiB). */
  readonly memory_bytes?: number;
  /** Disk cache cap in bytes (default 200 MiB). */
  readonly disk_bytes?: number;
  /** Renders at once (default 2: leaves the rest of the thread pool to file I/O and fsync). */
  readonly concurrency?: number;
};

export const THUMBNAIL_DEFAULTS = {
  size: 256,
  quality: 70,
  memory_bytes: 64 * 1024 * 1024,
  disk_bytes: THUMB_DISK_BYTES,
  concurrency: 2,
} as const;

type Waiter = { resolve(data: Buffer): void; reject(error: unknown): void };
type Job = {
  readonly key: string;
  readonly entry: ImageEntry;
  readonly file: string;
  readonly waiters: Set<Waiter>;
  state: 'disk' | 'queued' | 'running';
};

export async function openThumbnailer(options: ThumbnailerOptions = {}): Promise<Thumbnailer> {
  const size = options.size ?? THUMBNAIL_DEFAULTS.size;
  const quality = options.quality ?? THUMBNAIL_DEFAULTS.quality;
  const concurrency = Math.max(1, options.concurrency ?? THUMBNAIL_DEFAULTS.concurrency);
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new LensletError(
      'usage',
      `thumbnail size must be an integer from 1 to 4096, got ${size}`,
    );
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new LensletError(
      'usage',
      `thumbnail quality must be an integer from 1 to 100, got ${quality}`,
    );
  }
  // One libvips thread per image (parallelism comes from `concurrency`), a small operation
  // cache, and no cached file handles (they would keep deleted files open).
  sharp.concurrency(1);
  sharp.cache({ memory: 32, files: 0, items: 64 });

  const memory = new ByteLru(options.memory_bytes ?? THUMBNAIL_DEFAULTS.memory_bytes);
  const disk = options.cache_dir
    ? await ThumbDiskCache.open(
        join(options.cache_dir, 'thumbs'),
        options.disk_bytes ?? THUMB_DISK_BYTES,
      )
    : null;
  const inflight = new Map<string, Job>();
  const queue: Job[] = [];
  const running = new Set<Promise<void>>();
  let rendered = 0;
  let closed = false;

  const finish = (job: Job, error: unknown, data?: Buffer) => {
    inflight.delete(job.key);
    for (const w of job.waiters) {
      if (data !== undefined) w.resolve(data);
      else w.reject(error);
    }
    job.waiters.clear();
  };

  const pump = () => {
    while (running.size < concurrency && queue.length > 0) {
      const job = queue.shift()!;
      job.state = 'running';
      const task = renderThumbnail(job.file, job.entry.path, size, quality).then(
        (data) => {
          rendered++;
          memory.set(job.key, data);
          if (disk !== null) void disk.put(job.key, data);
          finish(job, null, data);
        },
        (error) => finish(job, error),
      );
      running.add(task);
      void task.finally(() => {
        running.delete(task);
        pump();
      });
    }
  };

  const start = async (job: Job) => {
    const cached = disk === null ? undefined : await disk.get(job.key);
    if (cached !== undefined) {
      memory.set(job.key, cached);
      return finish(job, null, cached);
    }
    if (job.waiters.size === 0 || closed) {
      inflight.delete(job.key);
      return;
    }
    job.state = 'queued';
    queue.push(job);
    pump();
  };

  return {
    thumbnail(entry, file, opts) {
      const key = `${entry.path}\n${entry.size}\n${entry.mtime_ms}\n${size}\n${quality}`;
      const hit = memory.get(key);
      if (hit !== undefined) return Promise.resolve(hit);
      if (closed)
        return Promise.reject(new LensletError('shutting_down', 'the server is shutting down'));
      const signal = opts?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<Buffer>((resolve, reject) => {
        let job = inflight.get(key);
        const waiter: Waiter = { resolve, reject };
        if (job === undefined) {
          job = { key, entry, file, waiters: new Set([waiter]), state: 'disk' };
          inflight.set(key, job);
          void start(job);
        } else {
          job.waiters.add(waiter);
        }
        const current = job;
        signal?.addEventListener(
          'abort',
          () => {
            if (!current.waiters.delete(waiter)) return;
            reject(signal.reason);
            if (current.waiters.size === 0 && current.state === 'queued') {
              queue.splice(queue.indexOf(current), 1);
              inflight.delete(key);
            }
          },
          { once: true },
        );
      });
    },
    stats(): ThumbnailStats {
      return {
        memory_entries: memory.size,
        memory_bytes: memory.bytes,
        disk_cache: disk !== null,
        rendered,
        queued: queue.length,
      };
    },
    async close() {
      closed = true;
      const error = new LensletError('shutting_down', 'the server is shutting down');
      for (const job of queue.splice(0)) finish(job, error);
      await Promise.allSettled([...running]);
      await disk?.idle();
      memory.clear();
    },
  };
}
