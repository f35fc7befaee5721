/**
 * What `bench:all` runs: one entry per benchmark script, which is also its section of
 * docs/benchmarks.md.
 */

export type Section = {
  /** `--only` name. */
  readonly name: string;
  readonly script: string;
  /** The `## ` heading of its section in docs/benchmarks.md. */
  readonly heading: string;
  /** First paragraph of a section that does not exist yet. */
  readonly intro: string;
};

export const SECTIONS: readonly Section[] = [
  {
    name: 'store',
    script: 'scripts/bench/store.ts',
    heading: 'Store',
    intro:
      '`npm run bench:store` (`scripts/bench/store.ts [--quick]`): durable applies/s beside a bare write + fdatasync loop on the same disk, recovery, snapshot load, RSS, replay, history and compaction of a million records.',
  },
  {
    name: 'gallery',
    script: 'scripts/bench/gallery.ts',
    heading: 'Gallery',
    intro: '`npx tsx scripts/bench/gallery.ts [--quick]`.',
  },
  {
    name: 'server-browse',
    script: 'scripts/bench/server-browse.ts',
    heading: 'Server: browse',
    intro: '`npx tsx scripts/bench/server-browse.ts [--quick]`.',
  },
  {
    name: 'server-labels',
    script: 'scripts/bench/server-labels.ts',
    heading: 'Server: labels',
    intro:
      '`npx tsx scripts/bench/server-labels.ts [--quick]`: durable PATCH/s of the express app beside a bare `node:http` server doing the same group-committed append, with history, during thumbnail rendering, and the fan-out to 200 live clients.',
  },
  {
    name: 'sse-latency',
    script: 'scripts/bench/sse-latency.ts',
    heading: 'Live updates: latency',
    intro:
      '`npx tsx scripts/bench/sse-latency.ts [--quick] [--baseline <rev>] [--rounds N]`: the built server (`lenslet serve`, fsync) on 2,000 images, clients in their own processes. At rest: 20 streams (fetch + eventsource-parser) and one writer sending PATCHes to distinct images one at a time, the next after all 20 saw the event — PATCH answered → event and PATCH sent → event at each client, beside the original Lenslet v0.4 as recorded in issue 12 (not run here). Under load: 200 streams at 1,000 PATCH/s, and 500 streams with 100 closed-loop writers. Each beside a bare `node:http` fan-out of the same frames measured in the same run; server CPU per delivered event (one event on one stream).',
  },
  {
    name: 'web',
    script: 'scripts/bench/web.ts',
    heading: 'Web',
    intro: '`npm run bench:web` (`scripts/bench/web.ts [--quick]`).',
  },
  {
    name: 'table',
    script: 'scripts/bench/table.ts',
    heading: 'Table',
    intro:
      '`npm run bench:table` (`scripts/bench/table.ts [--quick]`): load a DuckDB-written Parquet table of 100,000 and 1,000,000 rows × 30 metrics (wall, CPU, peak RSS), then the p50 of a query with 3 range filters and a metric sort and of all 30 histograms under a brushed filter, beside a plain typed-array scan of the same columns measured in the same process.',
  },
  {
    name: 'load-500',
    script: 'scripts/bench/load-500.ts',
    heading: 'Load: 500 live clients and 100 writers',
    intro:
      '`npx tsx scripts/bench/load-500.ts [--quick]`: the built server (`lenslet serve`, fsync) on 2,000 images, 500 `GET /events` streams opened first, then 100 writers sending `PATCH /item` in a closed loop (each sends the next write as soon as the last is answered), load generator in its own process. Fan-out latency is PATCH sent → event received, timed on every 5th stream; every stream counts its events, so the run also says whether all 500 received every record. Server CPU is user + system time over the measured window, in cores (this machine has 2).',
  },
];

export type BenchRun = { readonly ok: boolean; readonly out: string; readonly seconds: number };
