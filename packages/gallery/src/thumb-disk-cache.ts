/**
 * Thumbnails on disk under `<cache_dir>/thumbs/<aa>/<sha1>.webp` (the original Lenslet's layout),
 * keyed by sha1 of the full cache key. Writes are atomic (temp + rename; no fsync — a lost
 * thumbnail is re-rendered). The total size is capped: past the cap the least recently used
 * files (by mtime, refreshed on hits) are deleted down to 90% of it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const THUMB_DISK_BYTES = 200 * 1024 * 1024;
/** A hit refreshes the file's mtime at most this often (each refresh is a write). */
const TOUCH_AFTER_MS = 60 * 60 * 1000;

type FileInfo = { bytes: number; mtime: number };

export class ThumbDiskCache {
  private readonly files = new Map<string, FileInfo>();
  private total = 0;
  private evicting: Promise<void> | null = null;
  private inventory: Promise<void>;
  private counter = 0;
  private readonly writing = new Set<Promise<void>>();

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {
    this.inventory = this.loadInventory();
  }

  /** The cache at `dir`, or null when the directory cannot be written (read-only workspace). */
  static async open(dir: string, maxBytes = THUMB_DISK_BYTES): Promise<ThumbDiskCache | null> {
    try {
      await mkdir(dir, { recursive: true });
      const probe = join(dir, `.probe-${process.pid}`);
      await writeFile(probe, '');
      await rm(probe, { force: true });
      return new ThumbDiskCache(dir, maxBytes);
    } catch {
      return null;
    }
  }

  get bytes(): number {
    return this.total;
  }

  private fileOf(key: string): string {
    const hash = createHash('sha1').update(key).digest('hex');
    return join(this.dir, hash.slice(0, 2), `${hash}.webp`);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.fileOf(key);
    try {
      const data = await readFile(file);
      const info = this.files.get(file);
      const now = Date.now();
      if (info !== undefined && now - info.mtime > TOUCH_AFTER_MS) {
        info.mtime = now;
        utimes(file, now / 1000, now / 1000).catch(() => {});
      }
      return data;
    } catch {
      return undefined;
    }
  }

  /** Store a thumbnail; `idle()` waits for every write still under way (a close, a test). */
  put(key: string, data: Buffer): Promise<void> {
    const writing = this.write(key, data).finally(() => this.writing.delete(writing));
    this.writing.add(writing);
    return writing;
  }

  private async write(key: string, data: Buffer): Promise<void> {
    const file = this.fileOf(key);
    const temp = `${file}.${process.pid}.${++this.counter}.tmp`;
    try {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(temp, data);
      await rename(temp, file);
    } catch {
      await rm(temp, { force: true }).catch(() => {});
      return;
    }
    this.record(file, { bytes: data.length, mtime: Date.now() });
    if (this.total > this.maxBytes && this.evicting === null) {
      this.evicting = this.evict().finally(() => {
        this.evicting = null;
      });
    }
  }

  /** Resolves when the start-up inventory, every write under way and any eviction are done. */
  async idle(): Promise<void> {
    await this.inventory;
    await Promise.all(this.writing);
    await this.evicting;
  }

  private record(file: string, info: FileInfo): void {
    this.total -= this.files.get(file)?.bytes ?? 0;
    this.files.set(file, info);
    this.total += info.bytes;
  }

  private async loadInventory(): Promise<void> {
    const shards = await readdir(this.dir).catch(() => [] as string[]);
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const names = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of names) {
        const file = join(this.dir, shard, name);
        if (name.endsWith('.tmp')) {
          await rm(file, { force: true }).catch(() => {});
          continue;
        }
        if (this.files.has(file)) continue;
        const s = await stat(file).catch(() => null);
        if (s?.isFile()) this.record(file, { bytes: s.size, mtime: s.mtimeMs });
      }
    }
  }

  private async evict(): Promise<void> {
    await this.inventory;
    const target = this.maxBytes * 0.9;
    const oldest = [...this.files].sort((a, b) => a[1].mtime - b[1].mtime);
    for (const [file, info] of oldest) {
      if (this.total <= target) break;
      await rm(file, { force: true }).catch(() => {});
      this.files.delete(file);
      this.total -= info.bytes;
    }
  }
}
