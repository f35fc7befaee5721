/**
 * Gallery benchmark: `npx tsx scripts/bench/gallery.ts [--quick]`.
 *
 * Generates (once, cached under /tmp/lenslet-bench-gallery) trees of 100,000 and 1,000,000 tiny
 * real PNG/JPEG files (500 per folder) and twenty-four 2000×1500 JPEGs, then measures, each in a
 * fresh child process so RSS means something:
 * - indexing cold (no dimension cache: every header is read) and warm (cache present);
 * - watcher setup (native, one watch per folder) on 100,000 files;
 * - thumbnails per second (2000×1500 JPEG → 256 px WebP, 2 renders at a time, no cache).
 * `--quick` runs only the 100,000-file tree and fewer thumbnails.
 * "Cold" means no dimension cache; the OS page cache is warm (the files were just listed).
 */
import { rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { openGallery, openThumbnailer, raiseThreadPoolSize } from '@lenslet/gallery';
import { runScript } from '@lenslet/test-kit';
import {
  BENCH_GALLERY_ROOT,
  ensureImageTree,
  ensureNoisePhotos,
  TREE_FILES_PER_FOLDER,
} from '@lenslet/test-kit/fixtures';

const ROOT = BENCH_GALLERY_ROOT;
const PER_FOLDER = TREE_FILES_PER_FOLDER;
const THUMB_SOURCES = 24;
const self = new URL(import.meta.url).pathname;

type Result = {
  ms: number;
  scan_ms?: number;
  cpu_ms: number;
  disk_reads: number;
  rss_mib: number;
  items?: number;
  rate?: number;
};

function peakRssMib(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** CPU time and blocks read from disk since `base` (a busy machine stretches wall time, not these). */
function usage(base = process.resourceUsage()): { cpu_ms: number; disk_reads: number } {
  const u = process.resourceUsage();
  const cpu = u.userCPUTime + u.systemCPUTime - base.userCPUTime - base.systemCPUTime;
  return { cpu_ms: cpu / 1000, disk_reads: u.fsRead - base.fsRead };
}

/** Child: one measurement, printed as JSON on the last line. */
async function child(kind: string, dir: string, cacheDir: string): Promise<Result> {
  const base = process.resourceUsage();
  const started = performance.now();
  if (kind === 'thumbs') {
    const t = await openThumbnailer({ size: 256, quality: 70, cache_dir: null });
    const g = await openGallery({ roots: [{ prefix: '/' as CanonicalPath, dir }], watch: 'off' });
    const entries = [...g.items('/' as CanonicalPath, false)];
    const t0 = performance.now();
    await Promise.all(entries.map(async (e) => t.thumbnail(e, await g.resolveFile(e.path))));
    const ms = performance.now() - t0;
    await t.close();
    await g.close();
    return {
      ms,
      ...usage(base),
      rss_mib: peakRssMib(),
      items: entries.length,
      rate: entries.length / (ms / 1000),
    };
  }
  let scanEnd = 0;
  const g = await openGallery({
    roots: [{ prefix: '/' as CanonicalPath, dir }],
    watch: kind === 'watch' ? 'native' : 'off',
    cache_dir: cacheDir,
    on_progress: () => {
      scanEnd = performance.now();
    },
  });
  const ms = performance.now() - started;
  const items = g.status().indexing.items;
  const mode = g.status().watch.mode;
  if (kind === 'watch' && mode !== 'native')
    throw new Error(`watch mode is ${mode}: ${g.status().watch.reason}`);
  const rss = peakRssMib();
  await g.close();
  return { ms, scan_ms: scanEnd - started, ...usage(base), rss_mib: rss, items };
}

function run(kind: string, dir: string, cacheDir: string): Promise<Result> {
  // The pool size must be in the environment before the child starts (see thread-pool.ts).
  const env = { ...process.env };
  raiseThreadPoolSize(env);
  return runScript<Result>(self, ['--child', kind, dir, cacheDir], { env });
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await child(args[1]!, args[2]!, args[3]!)));
    return;
  }
  const quick = args.includes('--quick');
  const sizes = quick ? [100_000] : [100_000, 1_000_000];
  const trees = new Map<number, string>();
  for (const n of sizes) trees.set(n, await ensureImageTree(n));
  const photos = join(ROOT, 'photos-2000x1500');
  await ensureNoisePhotos(photos, THUMB_SOURCES);
  console.log(
    `\nGallery benchmark — ${cpus().length} cores, Node ${process.version}${quick ? ' (quick)' : ''}, load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  row(['case', 'files', 'wall time', 'CPU time', 'disk reads', 'peak RSS']);
  row(['---', '---:', '---:', '---:', '---:', '---:']);
  const cells = (r: Result) => [
    fmtS(r.ms),
    fmtS(r.cpu_ms),
    r.disk_reads.toLocaleString('en'),
    `${r.rss_mib} MiB`,
  ];
  for (const n of sizes) {
    const dir = trees.get(n)!;
    const files = n.toLocaleString('en');
    const cacheDir = join(ROOT, `cache-${n}`);
    await rm(cacheDir, { recursive: true, force: true });
    row(['index, cold (headers read)', files, ...cells(await run('index', dir, cacheDir))]);
    row(['index, warm (dimension cache)', files, ...cells(await run('index', dir, cacheDir))]);
    if (n === 100_000) {
      const watch = await run('watch', dir, cacheDir);
      const setup = fmtS(watch.ms - (watch.scan_ms ?? 0));
      row(['warm index + native watch', files, ...cells(watch)]);
      row([
        `  of which watcher setup (${Math.ceil(n / PER_FOLDER)} folders)`,
        '',
        setup,
        '',
        '',
        '',
      ]);
    }
  }
  const thumbs = await run('thumbs', photos, '');
  row([
    `thumbnails 2000×1500 JPEG → 256 px WebP (${thumbs.items}, 2 at a time)`,
    '',
    `${thumbs.rate!.toFixed(1)} /s`,
    fmtS(thumbs.cpu_ms),
    '',
    `${thumbs.rss_mib} MiB`,
  ]);
  console.log(
    `\nload average after the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
