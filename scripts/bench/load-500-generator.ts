/**
 * The load generator of load-500.ts, in its own process so it never shares the server's event
 * loop:
 *
 *   node --import tsx scripts/bench/load-500-generator.ts --url <server> --clients 500
 *       --writers 100 --duration-ms 20000 --warmup-ms 5000 --images 2000 --measure-every 5
 *
 * It opens every `GET /events` stream, prints `READY` and waits for a line on stdin; then the
 * writers send `PATCH /item` (a metric, so every write is a record) in a closed loop, each the
 * next as soon as the last is answered. Fan-out latency (PATCH sent → event received) is timed
 * on every `--measure-every`-th stream: the send time travels in the Idempotency-Key, which comes
 * back as `mutation_id`. Every stream counts its events. The streams are raw sockets
 * (raw-sse-stream.ts), not node's HTTP client, so the generator stays cheap next to the server
 * on a small machine. Prints one JSON line (GeneratorResult).
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { latencySummary, sleep } from '@lenslet/test-kit';
import { openRawStream } from './raw-sse-stream.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string' },
    writers: { type: 'string' },
    'duration-ms': { type: 'string' },
    'warmup-ms': { type: 'string' },
    images: { type: 'string' },
    'measure-every': { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const WRITERS = Number(values.writers);
const IMAGES = Number(values.images);
const DURATION_MS = Number(values['duration-ms']);
const WARMUP_MS = Number(values['warmup-ms']);
const MEASURE_EVERY = Number(values['measure-every']);

export type GeneratorResult = {
  writes_per_s: number;
  write_p50_ms: number;
  write_p99_ms: number;
  write_errors: number;
  acked_total: number;
  fanout_p50_ms: number;
  fanout_p99_ms: number;
  fanout_max_ms: number;
  deliveries_timed: number;
  streams_complete: number;
  fewest_events: number;
  disconnects: number;
  /** The generator's own CPU over the run, in cores (it shares the machine with the server). */
  generator_cpu_cores: number;
};

const base = new URL(values.url!);
const wallMs = () => performance.timeOrigin + performance.now();
const MARK = Buffer.from('"mutation_id":"L');
const ID = Buffer.from('\nid: ');
const fanout: number[] = [];
const counts = new Array<number>(CLIENTS).fill(0);
let measuring = false;
let disconnects = 0;

/** Stream `i` over a raw socket (raw-sse-stream.ts): counts its events; every n-th is timed. */
function openStream(i: number): Promise<void> {
  const timed = i % MEASURE_EVERY === 0;
  let carry = Buffer.alloc(0);
  return openRawStream(base, {
    onClose: () => {
      disconnects += 1;
    },
    onData: (chunk) => {
      const t = wallMs();
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      // Events are counted by their `id:` lines; a line cut between chunks is in `carry`.
      let at = buf.indexOf(ID);
      let last = 0;
      while (at >= 0) {
        counts[i]! += 1;
        last = at + ID.length;
        at = buf.indexOf(ID, last);
      }
      let timedTo = 0;
      if (timed) {
        let m = buf.indexOf(MARK);
        while (m >= 0) {
          const close = buf.indexOf(34, m + MARK.length);
          if (close < 0) break;
          const key = buf.toString('latin1', m + MARK.length, close);
          if (measuring) fanout.push(t - Number(key.slice(key.indexOf('-') + 1)));
          timedTo = close;
          m = buf.indexOf(MARK, close);
        }
      }
      // Keep the unfinished tail for the next chunk: from the last newline on (kept, so an
      // `id:` line that starts the next chunk is still seen as `\nid: `), never an `id:` already
      // counted nor a send time already taken.
      const cut = Math.max(last, timedTo, buf.lastIndexOf(10));
      carry = Buffer.from(buf.subarray(Math.max(cut, buf.length - 4096)));
    },
  });
}

// Open the streams a few at a time (a burst of 500 connects is not what is measured).
for (let i = 0; i < CLIENTS; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, k) => openStream(i + k)));
}
process.stdout.write('READY\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
const latencies: number[] = [];
let counter = 0;
let acked = 0;
let ackedInWindow = 0;
let errors = 0;
const start = performance.now();
const cpu0 = process.cpuUsage();
const warmEnd = start + WARMUP_MS;
const end = warmEnd + DURATION_MS;
const patch = (n: number) =>
  new Promise<number>((resolve) => {
    const sent = wallMs();
    const body = JSON.stringify({ set_metrics: { load: n } });
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'PATCH',
        path: `/item?path=${encodeURIComponent(`/img-${String(n % IMAGES).padStart(5, '0')}.jpg`)}`,
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `L${n}-${sent.toFixed(3)}`,
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
await Promise.all(
  Array.from({ length: WRITERS }, async () => {
    while (performance.now() < end) {
      const n = counter++;
      const t = performance.now();
      if (!measuring && t >= warmEnd) measuring = true;
      const status = await patch(n);
      if (status === 200) {
        acked += 1;
        if (measuring && performance.now() < end) {
          ackedInWindow += 1;
          latencies.push(performance.now() - t);
        }
      } else errors += 1;
    }
  }),
);
measuring = false;
const used = process.cpuUsage(cpu0);
const generatorCpu = (used.user + used.system) / 1e6 / ((performance.now() - start) / 1000);
agent.destroy();
// Let the last events reach every stream.
const deadline = performance.now() + 10_000;
while (counts.some((c) => c < acked) && performance.now() < deadline) await sleep(100);
const writes = latencySummary(latencies);
const fan = latencySummary(fanout);
const result: GeneratorResult = {
  writes_per_s: ackedInWindow / (DURATION_MS / 1000),
  write_p50_ms: writes.p50,
  write_p99_ms: writes.p99,
  write_errors: errors,
  acked_total: acked,
  fanout_p50_ms: fan.p50,
  fanout_p99_ms: fan.p99,
  fanout_max_ms: fan.max,
  deliveries_timed: fanout.length,
  streams_complete: counts.filter((c) => c === acked).length,
  fewest_events: Math.min(...counts),
  disconnects,
  generator_cpu_cores: generatorCpu,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
