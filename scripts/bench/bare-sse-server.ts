/**
 * The limit the live-stream benchmarks compare against (own process): a minimal `node:http`
 * server that answers `PATCH /item` and fans the same kind of frame out to every `GET /events`
 * stream, with nothing else — no validation, no label store, no presence, no replay.
 *
 *   node --import tsx scripts/bench/bare-sse-server.ts [--fsync <file>]
 *
 * A PATCH gets a seq, its answer, then its frame (`item-updated`/`metrics-updated` with `id:`,
 * the data shaped as Lenslet's: labels, changes, `mutation_id` = the Idempotency-Key) queued for
 * every stream; at the end of the turn the queue is joined into one Buffer, framed once as one
 * HTTP/1.1 chunk, and that same Buffer is written to every stream's socket (what Lenslet's hub
 * does for idle streams, so this stays the limit: no slow-client rules; only the frame and
 * stream-write counts, at `GET /presence/diagnostics` as Lenslet answers them). With
 * `--fsync`, the line is first appended to `<file>` and made durable by a plain group commit (one
 * write + fdatasync for all PATCHes that arrived while the last sync ran), as Lenslet's store
 * does, so the answer still means "on disk". Prints `{"ready":true,"port":…,"pid":…}`.
 */
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { fsync: { type: 'string' } } });
const log = values.fsync === undefined ? null : await open(values.fsync, 'a');

const streams = new Set<Socket>();
let queued: Buffer[] = [];
let seq = 0;
const CRLF = Buffer.from('\r\n');
/** Counted as Lenslet's hub counts them, so the benchmark can print events per stream write. */
const counts = { frames_total: 0, writes_total: 0 };

function flush(): void {
  const body = Buffer.concat(queued);
  queued = [];
  const chunk = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, CRLF]);
  for (const socket of streams) socket.write(chunk);
  counts.writes_total += streams.size;
}

function publish(frame: Buffer): void {
  if (queued.length === 0) process.nextTick(flush);
  queued.push(frame);
  counts.frames_total += 1;
}

/** Group commit: lines wait while a sync runs, then go in one write + fdatasync. */
let waiting: { line: string; done: () => void }[] = [];
let syncing = false;
function durable(line: string): Promise<void> {
  if (log === null) return Promise.resolve();
  return new Promise((done) => {
    waiting.push({ line, done });
    if (!syncing) void commit();
  });
}
async function commit(): Promise<void> {
  syncing = true;
  while (waiting.length > 0) {
    const group = waiting;
    waiting = [];
    await log!.write(group.map((g) => g.line).join(''));
    await log!.datasync();
    for (const g of group) g.done();
  }
  syncing = false;
}

function frameOf(n: number, path: string, key: string, patch: Record<string, unknown>): Buffer {
  const metrics = (patch.set_metrics ?? {}) as Record<string, number>;
  const tags = (patch.add_tags ?? []) as string[];
  const metricsOnly = patch.set_metrics !== undefined && Object.keys(patch).length === 1;
  const data = {
    seq: n,
    path,
    star: null,
    tags,
    notes: '',
    metrics,
    version: n + 1,
    updated_at: new Date().toISOString(),
    updated_by: 'bench',
    changed_fields: metricsOnly ? ['metrics'] : ['tags'],
    changes: metricsOnly
      ? [{ kind: 'metrics_set', metrics, from: {} }]
      : [{ kind: 'tags_added', tags }],
    mutation_id: key,
  };
  const event = metricsOnly ? 'metrics-updated' : 'item-updated';
  return Buffer.from(`event: ${event}\nid: ${n}\ndata: ${JSON.stringify(data)}\n\n`);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bare.invalid');
  if (req.method === 'GET' && url.pathname === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    res.write(`event: hello\ndata: {"seq":${seq},"log_id":"bare"}\n\n`);
    // Chunked (HTTP/1.1): from here on frames go to the socket, framed by flush().
    const socket = req.socket;
    streams.add(socket);
    res.on('close', () => streams.delete(socket));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/presence/diagnostics') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sse: counts }));
    return;
  }
  if (req.method !== 'PATCH' || url.pathname !== '/item') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const patch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const key = String(req.headers['idempotency-key']);
    const path = url.searchParams.get('path') ?? '/';
    const n = ++seq;
    const frame = frameOf(n, path, key, patch);
    await durable(`${frame.subarray(frame.indexOf('data: ') + 6, frame.length - 2)}\n`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted_event: { seq: n }, mutation_id: key }));
    publish(frame);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
