/**
 * Targeted cases: bodies past every limit, deep nesting and huge lists, and request lines and
 * headers no browser would send.
 */
import type { Oracle } from './oracle.ts';
import { json, jsonHeaders, prober, type Target } from './probe.ts';

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
