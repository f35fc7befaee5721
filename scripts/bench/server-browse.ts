/**
 * Server browse benchmark: `npx tsx scripts/bench/server-browse.ts [--quick]`.
 *
 * The server (browse-server.ts: the real gallery on 100,000 real image files, 30 % of them
 * labelled) and the load generator (browse-loadgen.ts) run in separate processes. Measures, end
 * to end over HTTP on loopback, p50/p99 of:
 * - `POST /folders/query` over all 100,000 images: no filter, filters (stars incl. unrated, tags,
 *   metric range), text query, sorts (star, name, metric, random), a deep page (offset 50,000);
 * - `GET /folders` pages (one folder of 500, a recursive page deep in the tree), `GET /search`,
 *   `GET /tags`;
 * - query throughput with 4 concurrent clients.
 * Target: `/folders/query` ≤ 50 ms on 100,000 items.
 * The image tree is generated once under /tmp/lenslet-bench-gallery/tree-100000 (shared with
 * the gallery benchmark). `--quick`: fewer requests per scenario (same 100,000 images).
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, binNodeFlags, cliFlags, runScript, startScript, stopChild } from '@lenslet/test-kit';
import { ensureImageTree } from '@lenslet/test-kit/fixtures';

const quick = process.argv.includes('--quick');
const HERE = import.meta.dirname;
const COUNT = 100_000;
const REQUESTS = quick ? 20 : 100;

type Ready = { port: number; items: number; labeled: number; index_ms: number; label_ms: number };

type Scenario = {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  concurrency?: number;
};

const query = (body: object) => ({
  method: 'POST' as const,
  path: '/folders/query',
  body: { path: '/', recursive: true, ...body },
});

const SCENARIOS: Scenario[] = [
  { name: 'query: no filter, scope order, page 1', ...query({}) },
  {
    name: 'query: stars 4,5 or unrated + tag, by star',
    ...query({
      filters: { star: [4, 5, null], tags: { any: ['cat', 'keeper'] } },
      sort: { by: 'star' },
    }),
  },
  {
    name: 'query: metric range, by metric',
    ...query({
      filters: { metrics: { score: { min: 0.5 } } },
      sort: { by: 'metric', key: 'score' },
    }),
  },
  { name: 'query: text "exposure 42"', ...query({ text_query: 'exposure 42' }) },
  { name: 'query: sort by name (natural)', ...query({ sort: { by: 'name', dir: 'desc' } }) },
  {
    name: 'query: random(seed), deep page 50,000',
    ...query({ sort: { by: 'random', seed: 7 }, offset: 50_000 }),
  },
  { name: 'query: by added, limit 1000', ...query({ sort: { by: 'added' }, limit: 1000 }) },
  {
    name: 'query: metric sort, deep page 20,000',
    ...query({ sort: { by: 'metric', key: 'score' }, offset: 20_000 }),
  },
  {
    name: 'query: 4 concurrent clients (throughput)',
    ...query({ filters: { star: [5] }, sort: { by: 'updated_at' } }),
    concurrency: 4,
  },
  {
    name: 'folders: one folder (500), page of 100',
    method: 'GET',
    path: '/folders?path=/set-000/batch-0007&limit=100',
  },
  {
    name: 'folders: recursive page at offset 50,000',
    method: 'GET',
    path: '/folders?path=/&recursive=true&offset=50000&limit=100',
  },
  {
    name: 'folders: count_only at the root',
    method: 'GET',
    path: '/folders?path=/&recursive=true&count_only=true',
  },
  { name: 'search: "img-00999" over 100,000', method: 'GET', path: '/search?q=img-00999' },
  { name: 'tags: root autocomplete', method: 'GET', path: '/tags?path=/' },
];

const tree = await ensureImageTree(COUNT);
// Node started with the bin's flags, as `lenslet serve` is.
const { child, ready } = await startScript<Ready>(join(HERE, 'browse-server.ts'), ['--dir', tree], {
  node_args: binNodeFlags(BIN),
});
console.log(
  `server: ${ready.items.toLocaleString('en')} images indexed in ${ready.index_ms} ms, ${ready.labeled.toLocaleString('en')} labelled in ${ready.label_ms} ms`,
);
console.log(`${REQUESTS} requests per scenario, load generator in its own process\n`);
console.log(
  `${'scenario'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'server p50'.padStart(11)} ${'cpu p50'.padStart(8)} ${'req/s'.padStart(7)}  answer`,
);
let worstQueryP50 = 0;
let worstServerP50 = 0;
let worstCpuP50 = 0;
try {
  for (const s of SCENARIOS) {
    const args = cliFlags({
      url: `http://127.0.0.1:${ready.port}`,
      method: s.method,
      path: s.path,
      requests: s.concurrency ? REQUESTS * 2 : REQUESTS,
      concurrency: s.concurrency ?? 1,
      ...(s.body === undefined ? {} : { body: JSON.stringify(s.body) }),
    });
    const r = await runScript(join(HERE, 'browse-loadgen.ts'), args);
    if (r.errors! > 0) throw new Error(`${s.name}: ${r.errors} requests failed`);
    if (s.path === '/folders/query' && !s.concurrency) {
      worstQueryP50 = Math.max(worstQueryP50, r.p50_ms!);
      worstServerP50 = Math.max(worstServerP50, r.server_p50_ms ?? 0);
      worstCpuP50 = Math.max(worstCpuP50, r.cpu_p50_ms ?? 0);
    }
    const server = r.server_p50_ms === null ? '' : r.server_p50_ms!.toFixed(1);
    const cpu = r.cpu_p50_ms === null ? '' : r.cpu_p50_ms!.toFixed(1);
    console.log(
      `${s.name.padEnd(48)} ${r.p50_ms!.toFixed(1).padStart(8)} ${r.p99_ms!.toFixed(1).padStart(8)} ${server.padStart(11)} ${cpu.padStart(8)} ${String(r.per_s).padStart(7)}  ${(r.bytes! / 1024).toFixed(0)} KiB`,
    );
  }
} finally {
  await stopChild(child);
}
const load = loadavg()[0]!.toFixed(1);
console.log(
  `\n/folders/query on ${ready.items.toLocaleString('en')} images, one client: worst p50 ${worstQueryP50.toFixed(1)} ms end to end, ${worstServerP50.toFixed(1)} ms in the server, ${worstCpuP50.toFixed(1)} ms of server CPU (target ≤ 50 ms) → ${worstQueryP50 <= 50 ? 'OK' : 'OVER TARGET'}  [load average ${load} on ${cpus().length} CPUs]`,
);
