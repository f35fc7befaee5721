/**
 * The clients of the at-rest case of sse-latency.ts (own process, so they never share the
 * server's event loop): `--clients` live streams read with fetch + eventsource-parser, and one
 * writer that sends `PATCH /item` to distinct images one at a time, the next only after its
 * answer came and every stream saw its event.
 *
 *   node --import tsx scripts/bench/sse-latency-clients.ts --url <server> --clients 20
 *       --patches 1000 --warmup 100 --path-template '/img-{00000}.jpg'
 *
 * For each PATCH after the warm-up and each stream it records "PATCH answered → event at that
 * client" and "PATCH sent → event at that client" (one clock: this process's performance.now();
 * an event's time is when the chunk holding it was read). The event is matched by its
 * `mutation_id`, which is the PATCH's Idempotency-Key. Prints one JSON line (ClientsResult).
 */
import { parseArgs } from 'node:util';
import { latencySummary } from '@lenslet/test-kit';
import { createParser } from 'eventsource-parser';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string', default: '20' },
    patches: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '100' },
    'path-template': { type: 'string', default: '/img-{00000}.jpg' },
  },
});
const URL_BASE = values.url!;
const CLIENTS = Number(values.clients);
const PATCHES = Number(values.patches);
const WARMUP = Number(values.warmup);
const template = values['path-template']!;
const slot = /\{(0+)\}/.exec(template)!;
const pathOf = (i: number) => template.replace(slot[0], String(i).padStart(slot[1]!.length, '0'));

type Summary = ReturnType<typeof latencySummary>;
export type ClientsResult = {
  answered_to_event: Summary;
  sent_to_event: Summary;
  sent_to_answered: Summary;
  patches: number;
  deliveries: number;
  missing: number;
};

/** Arrival times of each mutation_id, one per stream that saw it. */
const seen = new Map<string, number[]>();
let waiting: { key: string; resolve: () => void } | null = null;

async function openStream(): Promise<void> {
  const res = await fetch(`${URL_BASE}/events`, { headers: { accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.body) throw new Error(`GET /events answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let hello: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    hello = resolve;
  });
  let at = 0;
  const parser = createParser({
    onEvent(event) {
      if (event.event === 'hello') hello();
      if (event.event !== 'item-updated' && event.event !== 'metrics-updated') return;
      const key = (JSON.parse(event.data) as { mutation_id: string }).mutation_id;
      const times = seen.get(key) ?? [];
      times.push(at);
      seen.set(key, times);
      if (waiting?.key === key && times.length === CLIENTS) waiting.resolve();
    },
  });
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      at = performance.now();
      parser.feed(value);
    }
  })();
  await ready;
}

await Promise.all(Array.from({ length: CLIENTS }, () => openStream()));

const answered: number[] = [];
const sent: number[] = [];
const writes: number[] = [];
let missing = 0;
const run = `sse-latency-${process.pid}`;
for (let i = 0; i < WARMUP + PATCHES; i++) {
  const key = `${run}-${i}`;
  const all = new Promise<void>((resolve) => {
    waiting = { key, resolve };
  });
  const t0 = performance.now();
  const res = await fetch(`${URL_BASE}/item?path=${encodeURIComponent(pathOf(i))}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ add_tags: [`t${i}`] }),
  });
  const t1 = performance.now();
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([all, timeout]);
  const times = seen.get(key) ?? [];
  seen.delete(key);
  if (i < WARMUP) continue;
  missing += CLIENTS - times.length;
  writes.push(t1 - t0);
  for (const t of times) {
    answered.push(t - t1);
    sent.push(t - t0);
  }
}

const result: ClientsResult = {
  answered_to_event: latencySummary(answered),
  sent_to_event: latencySummary(sent),
  sent_to_answered: latencySummary(writes),
  patches: PATCHES,
  deliveries: answered.length,
  missing,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
