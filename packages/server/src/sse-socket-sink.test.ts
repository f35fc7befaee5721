/**
 * The socket sink on a real port: our own HTTP/1.1 chunk framing reads back as the same body a
 * client gets through `res.write`, and a response that is not chunked keeps the response as sink.
 */
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { ChunkFramer, toSseSink } from './sse-socket-sink.ts';
import type { SseSink } from './sse-stream.ts';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose one response is `toSseSink(res)`, handed to `use`; resolves its URL. */
async function serve(use: (sink: SseSink, res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    use(toSseSink(res), res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('frame(chunk) is one HTTP/1.1 chunk, reused for the same Buffer', () => {
  const framer = new ChunkFramer();
  const hi = Buffer.from('hi');
  const framed = framer.frame(hi);
  expect(framed.toString()).toBe('2\r\nhi\r\n');
  expect(framer.frame(hi)).toBe(framed);
  const big = Buffer.alloc(300, 'x');
  expect(framer.frame(big).subarray(0, 5).toString()).toBe('12c\r\n');
  expect(framer.frame(Buffer.from('hi'))).not.toBe(framed);
});

test('chunks written to the socket read back as the body, in order, until end()', async () => {
  const shared = Buffer.from('event: a\ndata: {}\n\n');
  const url = await serve((sink) => {
    sink.write(shared);
    sink.write(Buffer.alloc(0)); // a zero-length chunk would end the body: never framed
    sink.write(shared);
    sink.write('data: é\n\n', () => sink.end());
  });
  const res = await fetch(url);
  expect(res.headers.get('transfer-encoding')).toBe('chunked');
  expect(await res.text()).toBe(`${shared}${shared}data: é\n\n`);
});

test("a write's callback runs once its bytes left, and the client leaving closes the sink", async () => {
  const events: string[] = [];
  const url = await serve((sink) => {
    sink.on('close', () => events.push('close'));
    sink.write(Buffer.from('x'), () => events.push('written'));
  });
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe('x');
  controller.abort();
  for (let i = 0; i < 100 && !events.includes('close'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(events).toEqual(['written', 'close']);
});

test('a response that is not chunked (HEAD) is its own sink', async () => {
  let same: boolean | null = null;
  const url = await serve((sink, res) => {
    same = sink === res;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: 'HEAD' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  expect(same).toBe(true);
});
