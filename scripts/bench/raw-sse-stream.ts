/**
 * A cheap live-stream reader for the load generators (loadgen-sse.ts, load-500-generator.ts): one
 * raw TCP connection per stream sending `GET /events`, and the response body's bytes handed over
 * as they arrive, HTTP/1.1 chunk-size lines included. Hundreds of streams in one process then
 * cost no node HTTP client (parser callbacks, IncomingMessage, a 'data' event per HTTP chunk),
 * which on a 2-core machine competes with the server it measures. Scanning the bytes for
 * `\nid: ` or `"mutation_id":"` is not disturbed by the chunk-size lines: they sit between
 * writes, and a server write holds whole events.
 */
import { connect } from 'node:net';

export type RawStream = {
  /** Called with each piece of the body (after the response head), as it is read. */
  onData: (chunk: Buffer) => void;
  onClose?: () => void;
};

const HEAD_END = Buffer.from('\r\n\r\n');

/** Open `GET /events` on `base`; resolves once the response head (status 200) came. */
export function openRawStream(base: URL, handler: RawStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname);
    socket.setNoDelay(true);
    let head: Buffer | null = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('close', () => handler.onClose?.());
    socket.on('data', (chunk: Buffer) => {
      if (head === null) {
        handler.onData(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) return;
      const status = head.toString('latin1', 0, head.indexOf(13));
      if (!/^HTTP\/1\.1 200 /.test(status)) {
        reject(new Error(`GET /events answered ${status}`));
        socket.destroy();
        return;
      }
      const body = head.subarray(end + HEAD_END.length);
      head = null;
      if (body.length > 0) handler.onData(body);
      resolve();
    });
    socket.write(
      `GET /events HTTP/1.1\r\nHost: ${base.host}\r\nAccept: text/event-stream\r\n\r\n`,
      'latin1',
    );
  });
}
