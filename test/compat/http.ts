/**
 * Sending a recorded request to a server as the recorder did (node:http, so Origin and Cookie go
 * out exactly as given), and reading a live `/events` stream with eventsource-parser.
 */
import { type IncomingHttpHeaders, request } from 'node:http';
import { createParser } from 'eventsource-parser';

export type Answer = {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  readonly json: unknown;
};

export function send(
  port: number,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body?: unknown,
): Promise<Answer> {
  const out: Record<string, string> = { ...headers };
  let payload: string | undefined;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-type')) {
      out['Content-Type'] = 'application/json';
    }
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: out }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const isJson = String(res.headers['content-type'] ?? '').includes('json');
        const text = isJson ? buf.toString('utf8') : `<${buf.length} bytes>`;
        let json: unknown;
        try {
          json = isJson ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.end(payload);
  });
}

export type LiveFrame = {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
};

export type Listener = {
  readonly frames: LiveFrame[];
  /** The answer's status and headers, once they arrived. */
  head(): Promise<{ status: number; headers: IncomingHttpHeaders }>;
  close(): void;
};

/** Open `GET /events` (or `path`) and collect every frame until `close()`. */
export function listen(
  port: number,
  headers: Readonly<Record<string, string>> = {},
  path = '/events',
): Listener {
  const frames: LiveFrame[] = [];
  const parser = createParser({
    onEvent(event) {
      let data: unknown = event.data;
      try {
        data = JSON.parse(event.data);
      } catch {
        // not JSON: kept as text
      }
      frames.push({ event: event.event ?? 'message', id: event.id, data });
    },
  });
  let resolveHead: (h: { status: number; headers: IncomingHttpHeaders }) => void = () => {};
  let rejectHead: (e: Error) => void = () => {};
  const head = new Promise<{ status: number; headers: IncomingHttpHeaders }>((res, rej) => {
    resolveHead = res;
    rejectHead = rej;
  });
  const req = request(
    { host: '127.0.0.1', port, method: 'GET', path, headers: { ...headers } },
    (res) => {
      resolveHead({ status: res.statusCode ?? 0, headers: res.headers });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('error', () => {});
    },
  );
  req.on('error', (e) => rejectHead(e));
  req.end();
  return { frames, head: () => head, close: () => req.destroy() };
}
