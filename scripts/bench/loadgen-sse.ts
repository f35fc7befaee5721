/**
 * Fan-out load generator (own process): `--streams` SSE clients on `GET /events` while writers
 * sustain `--rate` PATCH/s; measures PATCH-to-event latency, from sending the PATCH to each
 * stream receiving its record.
 *
 *   node --import tsx scripts/bench/loadgen-sse.ts --url http://127.0.0.1:P --streams 200
 *       --rate 1000 [--writers 32] [--duration-ms 5000] [--images 100000]
 *       [--path-template '/img{0}.jpg']
 *
 * The send time travels in the Idempotency-Key (`f<n>-<ms since the epoch, 3 decimals>`), which
 * comes back as the event's `mutation_id`. `--measure-streams` of the streams (default 20), spread
 * evenly over the order they were opened in (and so over the order the server writes them: every
 * 10th of 200), are scanned as raw bytes for it (no full SSE parse); the rest are read and
 * dropped, so the generator itself stays cheap next to the server on a small machine: every
 * stream is a raw socket (raw-sse-stream.ts), not node's HTTP client. Prints one JSON line, with the generator's
 * own CPU over the run (`generator_cpu_cores`).
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { latencySummary } from '@lenslet/test-kit';
import { openRawStream } from './raw-sse-stream.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    streams: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' },
    writers: { type: 'string', default: '32' },
    'duration-ms': { type: 'string', default: '5000' },
    'warmup-ms': { type: 'string', default: '1000' },
    /** Streams whose events are timed; the others are read and dropped (the generator stays cheap). */
    'measure-streams': { type: 'string', default: '20' },
    images: { type: 'string', default: '100000' },
    /** Image paths: `{0…}` is replaced by the image number, zero-padded to the braces' width. */
    'path-template': { type: 'string', default: '/img{0}.jpg' },
  },
});

const base = new URL(values.url ?? 'http://127.0.0.1:7070');
const streams = Number(values.streams);
const measured = Math.min(streams, Number(values['measure-streams']));
const rate = Number(values.rate);
const writers = Number(values.writers);
const images = Number(values.images);
const template = values['path-template']!;
const slot = /\{(0+)\}/.exec(template);
const pathOf = (i: number) =>
  slot ? template.replace(slot[0], String(i).padStart(slot[1]!.length, '0')) : template;
const wallMs = () => performance.timeOrigin + performance.now();
const MARK = Buffer.from('"mutation_id":"f');

const latencies: number[] = [];
let measuring = false;
let received = 0;
let disconnects = 0;

/** A stream over a raw socket (raw-sse-stream.ts); `timed` ones are scanned for send times. */
function openStream(timed: boolean): Promise<void> {
  let carry = Buffer.alloc(0);
  return openRawStream(base, {
    onClose: () => {
      disconnects++;
    },
    onData: (chunk) => {
      if (!timed) return;
      const t = wallMs();
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let at = buf.indexOf(MARK);
      let consumed = 0;
      while (at >= 0) {
        const close = buf.indexOf(34, at + MARK.length); // closing quote
        if (close < 0) break;
        const key = buf.toString('latin1', at + MARK.length, close);
        const sent = Number(key.slice(key.indexOf('-') + 1));
        received++;
        if (measuring) latencies.push(t - sent);
        consumed = close;
        at = buf.indexOf(MARK, close);
      }
      const tailFrom = Math.max(consumed, buf.length - 64);
      carry = Buffer.from(buf.subarray(tailFrom));
    },
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: writers });
let counter = 0;
let sentOk = 0;
let ackedTotal = 0;
let stop = false;

function patchOnce(n: number): Promise<number> {
  const sent = wallMs();
  const body = JSON.stringify({ set_metrics: { fanout: n } });
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'PATCH',
        path: `/item?path=${encodeURIComponent(pathOf(n % images))}`,
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `f${n}-${sent.toFixed(3)}`,
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

const stride = Math.max(1, Math.floor(streams / measured));
const timed = (i: number) => i % stride === 0 && i / stride < measured;
await Promise.all(Array.from({ length: streams }, (_, i) => openStream(timed(i))));
const start = performance.now();
const cpu0 = process.cpuUsage();
const warmupEnd = start + Number(values['warmup-ms']);
const end = warmupEnd + Number(values['duration-ms']);
let late = 0;

async function writer(): Promise<void> {
  while (!stop) {
    const n = counter++;
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) late++;
    if (performance.now() >= end) {
      stop = true;
      return;
    }
    if (!measuring && performance.now() >= warmupEnd) measuring = true;
    const status = await patchOnce(n);
    if (status === 200) ackedTotal++;
    if (status === 200 && measuring) sentOk++;
  }
}

await Promise.all(Array.from({ length: writers }, () => writer()));
measuring = false;
const used = process.cpuUsage(cpu0);
const generatorCpu = (used.user + used.system) / 1e6 / ((performance.now() - start) / 1000);
await new Promise((r) => setTimeout(r, 500));
const { p50, p99, max } = latencySummary(latencies);
process.stdout.write(
  `${JSON.stringify({
    streams,
    target_rate: rate,
    patch_per_s: sentOk / (Number(values['duration-ms']) / 1000),
    acked_total: ackedTotal,
    measured_streams: measured,
    deliveries: latencies.length,
    expected_deliveries: sentOk * measured,
    received_total: received,
    late_sends: late,
    disconnects,
    p50_ms: p50,
    p99_ms: p99,
    max_ms: max,
    generator_cpu_cores: generatorCpu,
  })}\n`,
);
process.exit(0);
