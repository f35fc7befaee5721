/**
 * A raw HTTP/1.1 client over a TCP socket: the fuzzer must be able to send what well-behaved
 * clients refuse to (unescaped bytes and NULs in the request line, a wrong or missing `Host`,
 * broken percent-encoding, invalid UTF-8, bodies that do not match their `Content-Length`).
 * Every request is `Connection: close`; the answer is read to the end of the socket, or — for an
 * event stream — until its first bytes arrive.
 */
import { connect } from 'node:net';

export type RawRequest = {
  readonly method: string;
  /** The request target exactly as sent (may be invalid). */
  readonly target: string | Buffer;
  /** Header lines; `host` defaults to the server's address unless given (null: omitted). */
  readonly headers?: Readonly<Record<string, string | Buffer | null>>;
  readonly body?: string | Buffer;
  /** Content-Length to announce (default: the body's length; null: none). */
  readonly contentLength?: number | null;
};

export type RawResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly ms: number;
  /** The socket closed (reset) before a full status line arrived. */
  readonly reset: boolean;
};

export class RequestTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`no complete answer within ${ms} ms: ${what}`);
    this.name = 'RequestTimeout';
  }
}

function encode(request: RawRequest, port: number): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string | Buffer | null> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    ...request.headers,
  };
  const length = request.contentLength === undefined ? body.length : request.contentLength;
  if (length !== null && (body.length > 0 || request.contentLength !== undefined)) {
    headers['content-length'] = String(length);
  }
  const lines: Buffer[] = [
    Buffer.concat([
      Buffer.from(`${request.method} `),
      Buffer.from(request.target),
      Buffer.from(' HTTP/1.1\r\n'),
    ]),
  ];
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) continue;
    lines.push(Buffer.concat([Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n')]));
  }
  lines.push(Buffer.from('\r\n'), body);
  return Buffer.concat(lines);
}

function parse(raw: Buffer, ms: number): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return { status: 0, headers: {}, body: raw, ms, reset: true };
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  return { status, headers, body, ms, reset: false };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Send one request; resolves with the answer, rejects with RequestTimeout when it hangs. */
export function send(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), performance.now() - started));
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const target = Buffer.from(request.target).toString('latin1').slice(0, 200);
      reject(new RequestTimeout(`${request.method} ${target}`, timeoutMs));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // An event stream never ends by itself: its headers and first event are the answer.
      const sofar = Buffer.concat(chunks);
      const end = sofar.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = sofar.subarray(0, end).toString('latin1');
      if (/content-type: text\/event-stream/i.test(head)) {
        if (sofar.length > end + 4) finish();
        return;
      }
      // A keep-alive answer is complete once its Content-Length has arrived.
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length !== undefined && sofar.length >= end + 4 + Number(length)) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // The server may answer (413, 415) and close before reading a big body: that is fine.
    socket.on('error', finish);
    socket.write(encode(request, port));
  });
}
