/**
 * Browse load generator, in its own process so it never shares the server's event loop:
 *
 *   node --import tsx scripts/bench/browse-loadgen.ts --url http://127.0.0.1:P \
 *       --method POST --path /folders/query --body '{"recursive":true}' \
 *       [--requests 50] [--concurrency 1] [--warmup 5]
 *
 * Sends `--requests` requests over `--concurrency` keep-alive connections (each waits for its
 * answer before the next), after `--warmup` unmeasured ones. Prints one JSON line:
 * `{ok, errors, per_s, p50_ms, p99_ms, max_ms, server_p50_ms, server_p99_ms, cpu_p50_ms, bytes}`
 * (latency = request sent → last byte in; server_* and cpu_* = the `Server-Timing` `query` and
 * `cpu` durations the server reports).
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { latencySummary, percentile } from '@lenslet/test-kit';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    method: { type: 'string', default: 'GET' },
    path: { type: 'string', default: '/health' },
    body: { type: 'string' },
    requests: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '5' },
  },
});
const base = new URL(values.url ?? 'http://127.0.0.1:7070');
const concurrency = Number(values.concurrency);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const body = values.body === undefined ? undefined : Buffer.from(values.body);

type Answer = {
  ms: number;
  status: number;
  bytes: number;
  server: number | null;
  cpu: number | null;
};

function once(): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: values.method,
        path: values.path,
        agent,
        headers: body ? { 'Content-Type': 'application/json', 'Content-Length': body.length } : {},
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        const header = String(res.headers['server-timing'] ?? '');
        const timing = /query;dur=([\d.]+)/.exec(header);
        const cpu = /cpu;dur=([\d.]+)/.exec(header);
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode ?? 0,
            bytes,
            server: timing ? Number(timing[1]) : null,
            cpu: cpu ? Number(cpu[1]) : null,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (let i = 0; i < Number(values.warmup); i++) await once();
const total = Number(values.requests);
const latencies: number[] = [];
const serverTimes: number[] = [];
const cpuTimes: number[] = [];
let errors = 0;
let bytes = 0;
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const r = await once();
      if (r.status !== 200) errors++;
      latencies.push(r.ms);
      if (r.server !== null) serverTimes.push(r.server);
      if (r.cpu !== null) cpuTimes.push(r.cpu);
      bytes = r.bytes;
    }
  }),
);
const elapsed = performance.now() - t0;
const { p50, p99, max } = latencySummary(latencies);
/** A percentile of the Server-Timing figures, null when the server sent none. */
const timing = (list: number[], q: number) => (list.length > 0 ? percentile(list, q) : null);
console.log(
  JSON.stringify({
    ok: latencies.length - errors,
    errors,
    per_s: Math.round((latencies.length / elapsed) * 1000),
    p50_ms: Number(p50.toFixed(2)),
    p99_ms: Number(p99.toFixed(2)),
    max_ms: Number(max.toFixed(2)),
    server_p50_ms: timing(serverTimes, 0.5),
    server_p99_ms: timing(serverTimes, 0.99),
    cpu_p50_ms: timing(cpuTimes, 0.5),
    bytes,
  }),
);
agent.destroy();
