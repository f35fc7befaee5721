/**
 * Targeted hostile cases with an exact expectation each (the random properties only check the
 * general rules): every traversal and symlink path on every route that reads a file, huge and
 * deeply nested bodies, request lines no client would send, wrong Host / Origin / token, bad
 * resume points on the live stream, and a presence flood.
 */

import type { Oracle } from './oracle.ts';
import { type RawRequest, RequestTimeout, send } from './raw-http.ts';
import { hostilePaths, encode as q, REAL_PATHS, UNICODE } from './values.ts';

export type Target = {
  readonly port: number;
  readonly token: string | null;
  readonly outside: string;
};

export async function probe(
  oracle: Oracle,
  target: Target,
  request: RawRequest,
  allowed: readonly number[],
  why: string,
): Promise<number> {
  const withToken: RawRequest =
    target.token && request.headers?.authorization === undefined
      ? { ...request, headers: { ...request.headers, authorization: `Bearer ${target.token}` } }
      : request;
  try {
    const response = await send(target.port, withToken, 30_000);
    oracle.judge(withToken, response);
    if (!allowed.includes(response.status)) {
      oracle.report(
        'unexpected status',
        `${why}: expected ${allowed.join(' or ')}, got ${response.status} ${response.body.toString('utf8').slice(0, 200)}`,
        withToken,
        response.status,
      );
    }
    return response.status;
  } catch (error) {
    if (error instanceof RequestTimeout) oracle.hung(withToken, error.message);
    else throw error;
    return 0;
  }
}

const json = (value: unknown) => JSON.stringify(value);
const jsonHeaders = { 'content-type': 'application/json' };
const LANDSCAPE = '/item?path=/landscape.jpg';
type Headers = RawRequest['headers'];

/** {@link probe} bound to one target, with shorthands for the requests the cases repeat. */
function prober(oracle: Oracle, t: Target) {
  const check = (request: RawRequest, allowed: readonly number[], why: string) =>
    probe(oracle, t, request, allowed, why);
  return {
    check,
    get: (target: string | Buffer, allowed: readonly number[], why: string, headers?: Headers) =>
      check(
        headers === undefined ? { method: 'GET', target } : { method: 'GET', target, headers },
        allowed,
        why,
      ),
    /** PATCH /item of the fixture's landscape.jpg. */
    patchLandscape: (
      headers: Headers,
      body: string | Buffer,
      allowed: readonly number[],
      why: string,
    ) => check({ method: 'PATCH', target: LANDSCAPE, headers, body }, allowed, why),
  };
}

/** Every route that reads a file or an item, with every hostile path: 400 or 404, nothing read. */
export async function traversalMatrix(oracle: Oracle, t: Target): Promise<void> {
  const { check, get } = prober(oracle, t);
  // Routes that read one file or item: refused or not found. Routes that take a scope (search,
  // tags, export) may answer 200 with nothing in it; the oracle checks nothing leaked.
  const readers = ['/file', '/thumb', '/item', '/item/detail', '/item/history', '/folders'];
  const scopes = ['/search?q=a&path=', '/tags?path=', '/export?path='];
  for (const path of hostilePaths(t.outside)) {
    const shown = JSON.stringify(path.slice(0, 60));
    for (const route of readers) {
      await get(`${route}?path=${q(path)}`, [400, 404], `GET ${route} with path ${shown}`);
    }
    for (const route of scopes) {
      await get(`${route}${q(path)}`, [200, 400, 404], `GET ${route} with path ${shown}`);
    }
    await check(
      {
        method: 'PATCH',
        target: `/item?path=${q(path)}`,
        headers: { ...jsonHeaders, 'idempotency-key': 'fuzz-traversal-1' },
        body: json({ add_tags: ['x'] }),
      },
      [400, 404],
      'PATCH a path outside the gallery',
    );
    await check(
      {
        method: 'POST',
        target: '/items/patch',
        headers: { ...jsonHeaders, 'idempotency-key': 'fuzz-traversal-2' },
        body: json({ items: [{ path }], patch: { add_tags: ['x'] } }),
      },
      [200, 400],
      'bulk patch naming a path outside the gallery (400, or 200 with the item failed)',
    );
    // Raw, unencoded in the request line too (Node's parser or the router must refuse it).
    await get(
      Buffer.from(`/file?path=${path}`),
      [400, 404],
      'raw hostile path in the request line',
    );
  }
  // The paths the gallery does have still work (the matrix above is not just "everything 404s").
  for (const path of REAL_PATHS.slice(0, 3)) {
    await get(`/file?path=${q(path)}`, [200], `GET /file of a real image ${path}`);
  }
  await get(`/file?path=${q(UNICODE[0]!)}`, [200], 'an NFD name finds its NFC file');
}

/** Bodies past every limit: 413 and nothing applied; nesting and huge lists: 400. */
export async function hugeBodies(oracle: Oracle, t: Target, ci: boolean): Promise<void> {
  const { check, patchLandscape } = prober(oracle, t);
  // Keep-alive, as browsers send: the server then reads and drops the rest of a body it refused,
  // so its 413 arrives (on `Connection: close` it may be lost to a TCP reset mid-upload).
  const key = { ...jsonHeaders, 'idempotency-key': 'fuzz-huge-0001', connection: 'keep-alive' };
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
  const bulk = (body: unknown, allowed: readonly number[], why: string) =>
    check({ method: 'POST', target: '/items/patch', headers: key, body: json(body) }, allowed, why);
  await patchLandscape(key, json({ set_notes: 'x'.repeat(2 * 1024 * 1024) }), [413], '2 MiB PATCH');
  await bulk(
    {
      items: [{ path: '/landscape.jpg' }],
      patch: { add_tags: ['x'] },
      pad: 'x'.repeat(9 * 1024 * 1024),
    },
    [413],
    '9 MiB bulk',
  );
  await check(
    {
      method: 'POST',
      target: '/folders/query',
      headers: { ...jsonHeaders, connection: 'keep-alive' },
      body: 'x'.repeat((ci ? 20 : 60) * 1024 * 1024),
    },
    [413],
    'a very large non-JSON body',
  );
  await patchLandscape(key, json({ add_tags: tags(10_000) }), [400], '10,000 tags');
  await patchLandscape(
    key,
    json({ add_tags: ['x'.repeat(100_000)] }),
    [400],
    'one 100,000-character tag',
  );
  await bulk(
    {
      items: Array.from({ length: 10_001 }, (_, i) => ({ path: `/x${i}.jpg` })),
      patch: { add_tags: ['x'] },
    },
    [400],
    '10,001 bulk items',
  );
  for (const depth of [1_000, 100_000, 500_000]) {
    await patchLandscape(
      key,
      `{"add_tags":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      [400, 413],
      `arrays nested ${depth} deep`,
    );
    await check(
      {
        method: 'POST',
        target: '/folders/query',
        headers: jsonHeaders,
        body: `${'{"filters":'.repeat(Math.min(depth, 50_000))}{}${'}'.repeat(Math.min(depth, 50_000))}`,
      },
      [400, 413],
      `objects nested ${depth} deep`,
    );
  }
  await patchLandscape(
    key,
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    [400],
    'invalid UTF-8 in a JSON body',
  );
  await patchLandscape(
    { ...key, 'content-type': 'text/plain' },
    '{"add_tags":["x"]}',
    [415],
    'JSON sent as text/plain',
  );
}

/** Request lines and headers no browser would send. */
export async function brokenRequests(oracle: Oracle, t: Target): Promise<void> {
  const { check, get, patchLandscape } = prober(oracle, t);
  const raw = (target: string | Buffer, why: string, allowed = [400, 404]) =>
    get(target, allowed, why);
  await raw(Buffer.from('/item?path=/land\u0000scape.jpg'), 'NUL byte in the request line');
  await raw(
    Buffer.from('/item?path=/猫 café 🐱.jpg', 'utf8'),
    'raw UTF-8 and spaces in the request line',
  );
  await raw(
    Buffer.from([0x2f, 0x69, 0x74, 0x65, 0x6d, 0x3f, 0x70, 0x61, 0x74, 0x68, 0x3d, 0xff, 0xfe]),
    'invalid UTF-8 bytes in the request line',
  );
  // Absolute form: the router sees /item (the Host header, which is ours, is what is checked).
  await raw(
    'http://evil.example/item?path=/landscape.jpg',
    'absolute-form target',
    [200, 400, 403, 404],
  );
  await raw('*', 'asterisk-form target');
  await raw(`/item?path=${'a'.repeat(100_000)}`, 'a 100 KB URL', [400, 404, 414, 431]);
  await get('/health', [403], 'DNS-rebinding Host', { host: 'evil.example' });
  await get('/health', [400, 403], 'no Host header', { host: null });
  await get('/health', [200, 400], 'NUL in a header value', { 'x-bad': Buffer.from('a\u0000b') });
  await get('/health', [431], 'a 90 KB header', { 'x-big': 'x'.repeat(90_000) });
  const addX = json({ add_tags: ['x'] });
  await patchLandscape(
    { ...jsonHeaders, 'idempotency-key': 'fuzz-origin-01', origin: 'http://evil.example' },
    addX,
    [403],
    'a write from another origin',
  );
  await patchLandscape(
    { ...jsonHeaders, 'idempotency-key': 'fuzz-origin-02', origin: 'null' },
    addX,
    [403],
    'a write with Origin: null',
  );
  for (const user of ['%FF', '%', 'x'.repeat(65), '%00']) {
    await patchLandscape(
      { ...jsonHeaders, 'idempotency-key': 'fuzz-user-0001', 'x-lenslet-user': user },
      addX,
      [400],
      `X-Lenslet-User ${JSON.stringify(user)}`,
    );
  }
  await check(
    { method: 'POST', target: '/admin/compact' },
    [401, 404],
    'admin route without its token',
  );
}

/** Bad resume points: 400 for a non-number; a stream that ends with resync-required otherwise. */
export async function resumePoints(oracle: Oracle, t: Target): Promise<void> {
  const { get } = prober(oracle, t);
  for (const bad of ['abc', '-1', '1.5', '1e3', '0x10', '99999999999999999999999']) {
    await get(`/events?last_event_id=${q(bad)}`, [400], `last_event_id=${bad}`);
    await get('/events', [400], `Last-Event-ID: ${bad}`, { 'last-event-id': bad });
  }
  for (const target of [
    '/events?last_event_id=999999999',
    '/events?last_event_id=0&log_id=not-this-log',
    `/events?log_id=${'x'.repeat(5000)}`,
    '/events?last_event_id=0&log_id=',
  ]) {
    await get(target, [200, 400], `resume ${target.slice(0, 60)}`);
  }
}

/** Token server: every carrier checked, nothing answered without it. */
export async function tokenChecks(oracle: Oracle, t: Target & { token: string }): Promise<void> {
  const { get, patchLandscape } = prober(oracle, t);
  const page = { authorization: null, accept: 'text/html' };
  await get('/health', [401], 'a wrong token', { authorization: 'Bearer nope-nope-nope-nope' });
  await get('/folders', [401], 'Basic auth instead of Bearer', { authorization: 'Basic eDp5' });
  await get(LANDSCAPE, [401], 'an empty Authorization header', { authorization: '' });
  await get('/', [401], 'a browser without the token', page);
  await get(`/?token=${t.token}x`, [401], 'a wrong ?token= link', page);
  await get(`/?token=${t.token}`, [302], 'a valid ?token= link redirects without it', {
    authorization: null,
  });
  await get('/events', [401], 'the live stream without the token', { authorization: 'Bearer x' });
  await patchLandscape(
    { ...jsonHeaders, authorization: null, 'idempotency-key': 'fuzz-token-001' },
    json({ add_tags: ['x'] }),
    [401],
    'a write without the token',
  );
}

/** Thousands of presence sessions: joins answer 200 until the cap, then 429; the server lives. */
export async function presenceFlood(
  oracle: Oracle,
  t: Target,
  joins: number,
): Promise<{ ok: number; limited: number }> {
  let ok = 0;
  let limited = 0;
  let next = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < joins) {
        const i = next++;
        const res = await fetch(`http://127.0.0.1:${t.port}/presence/join`, {
          method: 'POST',
          headers,
          body: json({ gallery_id: i % 2 ? '/' : '/nested', client_id: `flood-${i}` }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 200) ok += 1;
        else if (res.status === 429) limited += 1;
        else {
          oracle.report(
            'unexpected status',
            `presence join ${i}: ${res.status} ${text.slice(0, 200)}`,
            { method: 'POST', target: '/presence/join' },
            res.status,
          );
        }
      }
    }),
  );
  oracle.requests += joins;
  return { ok, limited };
}
