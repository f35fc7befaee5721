/**
 * The sink of a real SSE response: each chunk is framed as one HTTP/1.1 chunk
 * (`<hex length>\r\n<bytes>\r\n`) here and written to the socket in one `write`, the same bytes
 * `res.write` would send. Through `res.write` one chunk costs four socket writes (length, CRLF,
 * data, CRLF) and a `writev`; a live event written to 500 streams costs 500 × that. The framing is
 * remembered for the last chunk, so the turn's shared Buffer (sse-batch.ts) is framed once for
 * every stream that writes it.
 *
 * Invariants: used only once the headers are on the socket and the response is chunked (else the
 * response itself is the sink); an empty chunk is never framed (a zero-length chunk would end the
 * body); `end()` goes through the response, which writes the last chunk after ours.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SseSink } from './sse-stream.ts';

const CRLF = Buffer.from('\r\n');

/** Frames chunks as HTTP/1.1 chunks, reusing the result for the same Buffer written again. */
export class ChunkFramer {
  #last: Buffer | null = null;
  #framed: Buffer | null = null;

  /** frame(Buffer.from('hi')) => '2\r\nhi\r\n'; the same Buffer again => the same framed Buffer. */
  frame(chunk: Buffer): Buffer {
    if (chunk === this.#last && this.#framed !== null) return this.#framed;
    const head = Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1');
    const framed = Buffer.concat([head, chunk, CRLF], head.length + chunk.length + 2);
    this.#last = chunk;
    this.#framed = framed;
    return framed;
  }
}

/** One framer for the process: the hub writes a turn's Buffer to every stream in one loop. */
const FRAMER = new ChunkFramer();

/**
 * The SSE sink for `res`, whose headers were just flushed: its socket with our own chunk framing
 * when the response is chunked and owns the socket, else the response itself (an HTTP/1.0 client,
 * a HEAD request).
 */
export function toSseSink(res: ServerResponse, framer: ChunkFramer = FRAMER): SseSink {
  const socket = res.socket;
  if (socket === null || !res.headersSent || !res.chunkedEncoding) return res;
  return new SocketSink(res, socket, framer);
}

type Callback = (error?: Error | null) => void;

class SocketSink implements SseSink {
  readonly #res: ServerResponse;
  readonly #socket: Socket;
  readonly #framer: ChunkFramer;

  constructor(res: ServerResponse, socket: Socket, framer: ChunkFramer) {
    this.#res = res;
    this.#socket = socket;
    this.#framer = framer;
  }

  get writableLength(): number {
    return this.#socket.writableLength;
  }

  write(chunk: Buffer | string, callback?: Callback): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length === 0) {
      if (callback) process.nextTick(callback);
      return true;
    }
    return this.#socket.write(this.#framer.frame(bytes), callback);
  }

  end(): void {
    this.#res.end();
  }

  destroy(): void {
    this.#res.destroy();
  }

  once(event: 'drain' | 'close', listener: () => void): this {
    if (event === 'drain') this.#socket.once('drain', listener);
    else this.#res.once('close', listener);
    return this;
  }

  on(event: 'close', listener: () => void): this {
    this.#res.on(event, listener);
    return this;
  }

  off(event: 'drain' | 'close', listener: () => void): this {
    if (event === 'drain') this.#socket.off('drain', listener);
    else this.#res.off('close', listener);
    return this;
  }
}
