/**
 * One run of the 500-client load (load-500.ts, and sse-latency.ts's fan-out case) against a
 * server that is already up: the generator (load-500-generator.ts) in its own process opens the
 * streams, prints READY, and on `go` its writers start; the server's CPU and memory are read from
 * /proc over the measured window. Also the image folder those writers label.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cliFlags, cpuSeconds, FIXTURE_GALLERY, memoryMib, sleep } from '@lenslet/test-kit';
import type { GeneratorResult } from './load-500-generator.ts';

const GENERATOR = join(import.meta.dirname, 'load-500-generator.ts');

/** A folder of `images` tiny JPEGs named img-00000.jpg…, made once and kept under the temp dir. */
export function loadGallery(images: number): string {
  const dir = join(tmpdir(), 'lenslet-bench-load', `gallery-${images}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const jpeg = readFileSync(join(FIXTURE_GALLERY, 'landscape.jpg'));
  for (let i = 0; i < images; i++) {
    writeFileSync(join(dir, `img-${String(i).padStart(5, '0')}.jpg`), jpeg);
  }
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

export type LoadOptions = {
  readonly url: string;
  /** The server process, for its CPU and memory. */
  readonly pid: number;
  readonly clients: number;
  readonly writers: number;
  readonly duration_ms: number;
  readonly warmup_ms: number;
  readonly images: number;
  /** Every n-th stream is timed; the others only count their events. */
  readonly measure_every: number;
};

export type LoadRun = GeneratorResult & {
  /** Server CPU over the measured window (user + system), in cores. */
  readonly server_cpu_cores: number;
  readonly rss_idle_mib: number;
  readonly rss_connected_mib: number;
  readonly rss_peak_mib: number;
};

async function procStat(pid: number): Promise<{ cpu_s: number; rss_mib: number; hwm_mib: number }> {
  return { cpu_s: await cpuSeconds(pid), ...(await memoryMib(pid)) };
}

export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const { pid } = options;
  const idle = await procStat(pid);
  const flags = cliFlags({
    url: options.url,
    clients: options.clients,
    writers: options.writers,
    'duration-ms': options.duration_ms,
    'warmup-ms': options.warmup_ms,
    images: options.images,
    'measure-every': options.measure_every,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR, ...flags], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const ready = await next();
  if (ready !== 'READY') throw new Error(`generator: ${ready}`);
  const connected = await procStat(pid);
  child.stdin!.write('go\n');
  await sleep(options.warmup_ms);
  const before = await procStat(pid);
  const t = performance.now();
  let peak = before.rss_mib;
  const sampler = setInterval(() => {
    procStat(pid)
      .then((s) => {
        peak = Math.max(peak, s.rss_mib);
      })
      .catch(() => {});
  }, 250);
  const resultLine = await next();
  clearInterval(sampler);
  const after = await procStat(pid);
  // The writers stop at the end of the window; CPU is taken over the window the generator
  // measured (plus the short drain, which only makes the figure slightly conservative).
  const cpuCores = (after.cpu_s - before.cpu_s) / ((performance.now() - t) / 1000);
  return {
    ...(JSON.parse(resultLine) as GeneratorResult),
    server_cpu_cores: cpuCores,
    rss_idle_mib: idle.rss_mib,
    rss_connected_mib: connected.rss_mib,
    rss_peak_mib: Math.max(peak, after.hwm_mib),
  };
}
