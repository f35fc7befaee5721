/**
 * PATCH load generator, run in its own process so it does not share the server's event loop.
 *
 *   node --import tsx scripts/bench/loadgen.ts --url http://127.0.0.1:P --clients 64
 *       [--duration-ms 5000] [--images 100000] [--rate 0] [--warmup-ms 500]
 *       [--path-template '/img{0}.jpg']
 *
 * Each client is one keep-alive connection sending `PATCH /item` (`add_tags` of a new tag on an
 * image picked round-robin, a fresh Idempotency-Key) and waiting for the answer before the next.
 * `--rate` paces the whole generator to that many requests per second (0: as fast as answered).
 * Prints one JSON line: `{ok, errors, per_s, p50_ms, p99_ms, max_ms, statuses}`.
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { latencySummary } from '@lenslet/test-kit';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string', default: '1' },
    'duration-ms': { type: 'string', default: '5000' },
    'warmup-ms': { type: 'string', default: '500' },
    images: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '0' },
    tag: { type: 'string', default: `g${process.pid}` },
    /** Image paths: `{0000}` is replaced by the image number, zero-padded to that width. */
    'path-template': { type: 'string', default: '/img{0}.jpg' },
  },
});

const base = new URL(values.url ?? 'http://127.0.0.1:7070');
const clients = Number(values.clients);
const images = Number(values.images);
const rate = Number(values.rate);
const template = values['path-template'] ?? '/img{0}.jpg';
const slot = /\{(0+)\}/.exec(template);
const imagePath = (i: number) =>
  slot ? template.replace(slot[0], String(i).padStart(slot[1]!.length, '0')) : template;
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const now = () => performance.now();

function patchOnce(n: number): Promise<number> {
  const path = imagePath(n % images);
  const body = JSON.stringify({ add_tags: [`${values.tag}-${n}`] });
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'PATCH',
        path: `/item?path=${encodeURIComponent(path)}`,
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `${values.tag}-key-${n}`,
          'x-lenslet-user': 'loadgen',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const latencies: number[] = [];
const statuses: Record<string, number> = {};
let counter = 0;
let measuring = false;
let stop = false;
const start = now();
const warmupEnd = start + Number(values['warmup-ms']);
const end = warmupEnd + Number(values['duration-ms']);
let measuredFrom = warmupEnd;

async function client(): Promise<void> {
  while (!stop) {
    const n = counter++;
    if (rate > 0) {
      const due = start + (n * 1000) / rate;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stop) return;
    }
    const t0 = now();
    const status = await patchOnce(n);
    const t1 = now();
    if (t1 >= end) stop = true;
    if (!measuring && t0 >= warmupEnd) {
      measuring = true;
      measuredFrom = t0;
    }
    if (measuring && t0 >= warmupEnd && t1 <= end) {
      latencies.push(t1 - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
}

await Promise.all(Array.from({ length: clients }, () => client()));
const seconds = (end - measuredFrom) / 1000;
const { p50, p99, max } = latencySummary(latencies);
const ok = statuses['200'] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    clients,
    ok,
    errors: latencies.length - ok,
    per_s: ok / seconds,
    p50_ms: p50,
    p99_ms: p99,
    max_ms: max,
    statuses,
  })}\n`,
);
agent.destroy();
