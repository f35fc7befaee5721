/**
 * fast-check generators of hostile requests: every route with random and malicious query
 * strings, bodies and headers. Values mix the valid (so requests get deep into the routes and
 * some writes really land in the log) with the wrong (types, unknown fields, huge lists, Unicode
 * edge cases, traversal attempts, broken encodings).
 */
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';

export type Route = {
  readonly method: string;
  readonly path: string;
  /** Query parameters the route knows. */
  readonly params: readonly string[];
  /** What its body is, if it takes one. */
  readonly body?:
    | 'patch'
    | 'put'
    | 'metrics'
    | 'bulk'
    | 'bulk-metrics'
    | 'query'
    | 'export'
    | 'views'
    | 'presence';
};

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', params: [] },
  {
    method: 'GET',
    path: '/folders',
    params: ['path', 'recursive', 'count_only', 'offset', 'limit'],
  },
  { method: 'GET', path: '/folders/paths', params: [] },
  { method: 'POST', path: '/folders/query', params: [], body: 'query' },
  { method: 'GET', path: '/search', params: ['q', 'path', 'offset', 'limit'] },
  { method: 'GET', path: '/tags', params: ['path', 'q', 'limit'] },
  { method: 'GET', path: '/item/detail', params: ['path'] },
  { method: 'GET', path: '/thumb', params: ['path', 'v'] },
  { method: 'HEAD', path: '/thumb', params: ['path', 'v'] },
  { method: 'GET', path: '/file', params: ['path'] },
  { method: 'HEAD', path: '/file', params: ['path'] },
  { method: 'GET', path: '/views', params: [] },
  { method: 'PUT', path: '/views', params: [], body: 'views' },
  { method: 'GET', path: '/item', params: ['path'] },
  { method: 'PATCH', path: '/item', params: ['path'], body: 'patch' },
  { method: 'PUT', path: '/item', params: ['path'], body: 'put' },
  { method: 'PUT', path: '/item/metrics', params: ['path'], body: 'metrics' },
  { method: 'POST', path: '/items/patch', params: [], body: 'bulk' },
  { method: 'POST', path: '/items/metrics', params: [], body: 'bulk-metrics' },
  { method: 'GET', path: '/item/history', params: ['path', 'limit', 'before'] },
  { method: 'GET', path: '/export', params: ['format', 'path', 'as_of'] },
  { method: 'POST', path: '/export', params: [], body: 'export' },
  { method: 'GET', path: '/events', params: ['last_event_id', 'log_id'] },
  { method: 'POST', path: '/presence/join', params: [], body: 'presence' },
  { method: 'POST', path: '/presence/move', params: [], body: 'presence' },
  { method: 'POST', path: '/presence/leave', params: [], body: 'presence' },
  { method: 'GET', path: '/presence/diagnostics', params: [] },
  { method: 'GET', path: '/', params: [] },
  { method: 'GET', path: '/index.html', params: [] },
  { method: 'GET', path: '/app.js', params: [] },
  { method: 'GET', path: '/no/such/route', params: [] },
  { method: 'POST', path: '/admin/compact', params: [] },
  { method: 'POST', path: '/admin/faults', params: [] },
  { method: 'DELETE', path: '/item', params: ['path'] },
  { method: 'OPTIONS', path: '/item', params: ['path'] },
];

/** Images the fixture really has (so some requests succeed and get deep). */
export const REAL_PATHS = [
  '/landscape.jpg',
  '/UPPER.JPG',
  '/alpha.webp',
  '/猫 café 🐱.jpg',
  '/صور/مرحبا.png',
  '/nested/inner.png',
  '/nested/deeper/deep.webp',
  '/corrupt.jpg',
  '/animated.gif',
];

/** Paths that try to leave the root or reach what is not an image. */
export function hostilePaths(outside: string): string[] {
  return [
    '..',
    '/..',
    '/../outside/secret.txt',
    '/../../../../../../etc/passwd',
    '/%2e%2e/outside/secret.txt',
    '/%252e%252e/outside/secret.txt',
    '..\\..\\outside\\secret.txt',
    '\\..\\outside\\secret.jpg',
    '/nested/../../outside/secret.jpg',
    '/escape.jpg',
    '/escape-dir/secret.jpg',
    '/escape-dir/secret.txt',
    '/nested/up.jpg',
    '/loop/loop/loop/landscape.jpg',
    `${outside}/secret.txt`,
    `${outside}/secret.jpg`,
    `/${outside}/secret.jpg`,
    'C:\\Windows\\win.ini',
    'file:///etc/passwd',
    '/landscape.jpg\u0000.txt',
    '/landscape.jpg\u0000',
    '//etc/passwd',
    '/./landscape.jpg',
    '/.lenslet/lock',
    '/.lenslet/labels.log.jsonl',
    '/.lenslet/views.json',
    '/.hidden.jpg',
    '/notes.txt',
    '/proc/self/environ',
    '/\uff0e\uff0e/outside/secret.txt',
    '/..\u2215outside\u2215secret.txt',
    '/nested/deeper/../../../outside/secret.jpg',
    `/${'a/'.repeat(3000)}x.jpg`,
  ];
}

/** Unicode edge cases: NFD of real names, RTL, emoji, joiners, BOM, lone surrogates. */
export const UNICODE = [
  '/猫 cafe\u0301 🐱.jpg',
  '/\u0635\u0648\u0631/\u0645\u0631\u062d\u0628\u0627.png',
  '/\u202eexe.jpg',
  '/👩‍👩‍👧‍👦.jpg',
  '/\ufefflandscape.jpg',
  '/land\u200bscape.jpg',
  '/\ud800.jpg',
  '/\udfff\ud800.jpg',
  'e\u0301',
  '\u0000',
  '\u001b[31mred',
  '\u2028\u2029',
  'A'.repeat(5000),
];

/** Raw (already-encoded) forms that bypass encodeURIComponent: bad escapes, overlong UTF-8. */
const RAW_ESCAPES = [
  '%',
  '%zz',
  '%2',
  '%ED%A0%80',
  '%C0%AE%C0%AE',
  '%C0%AF',
  '%FF%FE',
  '%00',
  '%0d%0aSet-Cookie:%20x=1',
  '..%2f..%2f',
  '%5c..%5c',
  '%E2%80%AE',
];

const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...UNICODE),
);

/** A value that is percent-encoded for the query string (lone surrogates become U+FFFD). */
export const encode = (s: string) =>
  encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

export function queryValue(outside: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...REAL_PATHS).map(encode),
    fc.constantFrom(...hostilePaths(outside)).map(encode),
    fc.constantFrom(...RAW_ESCAPES),
    anyString.map(encode),
    fc.integer().map(String),
    fc.constantFrom(
      '-1',
      '0',
      '1e309',
      'NaN',
      '9007199254740993',
      '0x10',
      ' 1',
      'true',
      '',
      '[]',
      '{}',
    ),
  );
}

/** A query string: mostly the route's own names, sometimes unknown or repeated ones. */
export function queryString(route: Route, outside: string): fc.Arbitrary<string> {
  const name = fc.oneof(
    {
      weight: 5,
      arbitrary: route.params.length ? fc.constantFrom(...route.params) : fc.constant('x'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('page', 'path[]', 'path[0]', '__proto__', 'constructor', ''),
    },
    { weight: 1, arbitrary: anyString.map(encode) },
  );
  return fc
    .array(fc.tuple(name, queryValue(outside)), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

const tag = fc.oneof(
  fc.constantFrom('keep', 'café', 'cafe\u0301', '猫', 'مرحبا', '🌅', ' spaced ', ''),
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('\ud800', 'x'.repeat(129), '\u0000', 'a\nb'),
);
const tags = fc.oneof(
  { weight: 4, arbitrary: fc.array(tag, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.array(tag, { minLength: 250, maxLength: 400 }) },
);
const wrong = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constant(null),
  fc.constant('5'),
  fc.constant(1.5),
);
const maybeWrong = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: wrong });

const star = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null), fc.integer());
const metrics = fc.dictionary(
  fc.oneof(fc.constantFrom('score', 'iou', 'a.b:c-d_e'), fc.string({ maxLength: 70 })),
  fc.oneof(fc.double(), fc.constant(null), fc.constant(1e308), wrong),
  { maxKeys: 5 },
);

const patch = fc.record(
  {
    base_version: maybeWrong(fc.integer({ min: 0, max: 20 })),
    set_star: maybeWrong(star),
    set_notes: maybeWrong(fc.oneof(anyString, fc.constant('n'.repeat(20_001)))),
    set_tags: maybeWrong(tags),
    add_tags: maybeWrong(tags),
    remove_tags: maybeWrong(tags),
    set_metrics: maybeWrong(metrics),
    unknown_field: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

function pathValue(outside: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...REAL_PATHS) },
    { weight: 2, arbitrary: fc.constantFrom(...hostilePaths(outside), ...UNICODE) },
    { weight: 1, arbitrary: anyString },
  );
}

/** A JSON body for the route's kind, valid-looking or not. */
function typedBody(kind: NonNullable<Route['body']>, outside: string): fc.Arbitrary<unknown> {
  const path = maybeWrong(pathValue(outside));
  switch (kind) {
    case 'patch':
      return patch;
    case 'put':
      return fc.record(
        {
          star: maybeWrong(star),
          tags: maybeWrong(tags),
          notes: maybeWrong(anyString),
          version: wrong,
        },
        { requiredKeys: [] },
      );
    case 'metrics':
      return fc.record({ metrics: maybeWrong(metrics) }, { requiredKeys: [] });
    case 'bulk':
      return fc.record(
        {
          items: maybeWrong(
            fc.array(
              fc.record({ path, base_version: maybeWrong(fc.nat(9)) }, { requiredKeys: ['path'] }),
              {
                maxLength: 12,
              },
            ),
          ),
          patch,
        },
        { requiredKeys: [] },
      );
    case 'bulk-metrics':
      return fc.record(
        { items: maybeWrong(fc.array(fc.record({ path, metrics }), { maxLength: 12 })) },
        { requiredKeys: [] },
      );
    case 'query':
    case 'export':
      return fc.record(
        {
          path,
          recursive: maybeWrong(fc.boolean()),
          offset: maybeWrong(fc.nat(1000)),
          limit: maybeWrong(fc.integer({ min: -1, max: 2000 })),
          format: maybeWrong(fc.constantFrom('json', 'csv', 'jsonl', 'xml')),
          as_of: maybeWrong(fc.integer({ min: -1, max: 50 })),
          text_query: maybeWrong(anyString),
          filters: maybeWrong(
            fc.record(
              {
                star: maybeWrong(fc.array(star, { maxLength: 3 })),
                tags: maybeWrong(
                  fc.record({ any: tags, all: tags, none: tags }, { requiredKeys: [] }),
                ),
                metrics: maybeWrong(
                  fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ min: fc.double() })),
                ),
                updated_since: maybeWrong(fc.constantFrom('2026-03-01T00:00:00Z', 'yesterday', '')),
                stras: fc.anything({ maxDepth: 1 }),
              },
              { requiredKeys: [] },
            ),
          ),
          sort: maybeWrong(
            fc.oneof(
              fc.record({
                by: fc.constantFrom('added', 'name', 'star', 'metric', 'random', 'size'),
              }),
              fc.record({ by: fc.constant('random'), seed: fc.integer() }),
            ),
          ),
        },
        { requiredKeys: [] },
      );
    case 'views':
      return fc.record(
        {
          views: maybeWrong(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 })),
          revision: wrong,
        },
        { requiredKeys: [] },
      );
    case 'presence':
      return fc.record(
        {
          gallery_id: maybeWrong(pathValue(outside)),
          from_gallery_id: maybeWrong(pathValue(outside)),
          to_gallery_id: maybeWrong(pathValue(outside)),
          client_id: maybeWrong(fc.oneof(fc.string({ maxLength: 130 }), fc.constant('tab-1'))),
          lease_id: maybeWrong(fc.string({ maxLength: 40 })),
        },
        { requiredKeys: [] },
      );
  }
}

/** Any body: typed for the route, random JSON, deep nesting, or not JSON at all. */
export function body(route: Route, outside: string): fc.Arbitrary<string | Buffer | undefined> {
  const typed = route.body
    ? typedBody(route.body, outside).map((v) => JSON.stringify(v))
    : fc.constant(undefined);
  return fc.oneof(
    { weight: 6, arbitrary: typed },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 5_000 })
        .map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'null',
        '[]',
        '"x"',
        '{"__proto__":{"polluted":1}}',
        '{"a":1,"a":2}',
        '{',
        '\ufeff{}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

export type HeaderContext = { readonly port: number; readonly token: string | null };

/** Headers: Host, Origin, token, content type, idempotency key, If-Match, user, resume point. */
export function headers(ctx: HeaderContext): fc.Arbitrary<Record<string, string | Buffer | null>> {
  const self = `127.0.0.1:${ctx.port}`;
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
  return fc
    .record(
      {
        host: opt(
          fc.constantFrom(
            self,
            `localhost:${ctx.port}`,
            `[::1]:${ctx.port}`,
            'evil.example',
            'evil.example:80',
            '',
            `${self}.evil.example`,
            'a'.repeat(300),
            null,
          ),
        ),
        origin: opt(
          fc.constantFrom(
            `http://${self}`,
            'null',
            'http://evil.example',
            `https://${self}`,
            'garbage',
            `http://${self}/x`,
          ),
        ),
        referer: opt(fc.constantFrom(`http://${self}/`, 'http://evil.example/')),
        authorization: opt(
          fc.constantFrom(
            ...(ctx.token
              ? [`Bearer ${ctx.token}`, `Bearer ${ctx.token}x`, `bearer ${ctx.token}`]
              : []),
            'Bearer wrong-token-0123456789',
            'Basic YWRtaW46YWRtaW4=',
            'Bearer',
            `Bearer ${'x'.repeat(4000)}`,
          ),
        ),
        cookie: opt(fc.constantFrom('lenslet_token_000000000000=abc', 'a=b; c', '=;=;')),
        'content-type': opt(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'APPLICATION/JSON',
            'application/jsonx',
            null,
          ),
        ),
        'idempotency-key': opt(
          fc.oneof(
            fc.string({ minLength: 8, maxLength: 24 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
            fc.constantFrom('short', 'k'.repeat(129), 'fuzz-key-0001', 'fuzz key with spaces'),
          ),
        ),
        'if-match': opt(
          fc.constantFrom(
            '"1"',
            'W/"2"',
            '3',
            '"x"',
            '*',
            '"1", "2"',
            '-1',
            '"99999999999999999999"',
          ),
        ),
        'x-lenslet-user': opt(
          fc.constantFrom('ana', '%C3%A9mile', '%FF%FE', '%', 'x'.repeat(100), '%00', '%E2%80%AE'),
        ),
        'x-lenslet-client-id': opt(fc.constantFrom('tab-1', '', 'x'.repeat(200))),
        'last-event-id': opt(
          fc.constantFrom('0', '1', '-1', '1.5', 'abc', '99999999', '1e3', '', ' 2', '0x1'),
        ),
        accept: opt(fc.constantFrom('text/html', 'application/json', 'text/event-stream', '*/*')),
        range: opt(
          fc.constantFrom(
            'bytes=0-10',
            'bytes=-5',
            'bytes=100000-',
            'bytes=5-1',
            'bytes=0-1,3-4',
            'chars=0-1',
            'bytes=',
          ),
        ),
        'if-none-match': opt(fc.constantFrom('"t1"', '*', 'garbage')),
      },
      { requiredKeys: [] },
    )
    .map((h) => {
      const out: Record<string, string | Buffer | null> = {};
      for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
      return out;
    });
}

/** Valid tags with awkward Unicode: NFD, RTL, emoji, joiners, padding to trim. */
const edgeTag = fc.oneof(
  fc.constantFrom(
    'cafe\u0301',
    'café',
    '\u0645\u0631\u062d\u0628\u0627',
    '👩‍👩‍👧',
    ' padded ',
    'ǅ',
    'İ',
    'ß',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
);

/** A write that should be accepted: it puts real records with edge-case values into the log. */
function wellFormedWrite(ctx: HeaderContext): fc.Arbitrary<RawRequest> {
  const path = fc.constantFrom(...REAL_PATHS);
  const key = fc.stringMatching(/^[A-Za-z0-9_-]{8,32}$/);
  const user = fc.constantFrom('ana', '%C3%A9mile', '%E6%9D%8E', '%D8%B9%D9%84%D9%8A');
  const onePath = (method: string, route: string, p: string, body: unknown) => ({
    method,
    target: `${route}?path=${encode(p)}`,
    body,
  });
  const tagEdit = (field: 'add_tags' | 'remove_tags') =>
    fc
      .record({
        path,
        body: fc.record({ [field]: fc.array(edgeTag, { minLength: 1, maxLength: 3 }) }),
      })
      .map(({ path: p, body: b }) => onePath('PATCH', '/item', p, b));
  const write = fc.oneof(
    tagEdit('add_tags'),
    tagEdit('remove_tags'),
    fc
      .record({
        path,
        star: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
        notes: fc.string({ maxLength: 50 }),
        tags: fc.array(edgeTag, { maxLength: 3 }),
      })
      .map(({ path: p, ...b }) => onePath('PUT', '/item', p, b)),
    fc
      .record({ path, score: fc.double({ noNaN: true, noDefaultInfinity: true }) })
      .map(({ path: p, score }) => onePath('PUT', '/item/metrics', p, { metrics: { score } })),
    fc
      .record({ paths: fc.uniqueArray(path, { minLength: 1, maxLength: 5 }), tag: edgeTag })
      .map(({ paths, tag }) => ({
        method: 'POST',
        target: '/items/patch',
        body: { items: paths.map((p) => ({ path: p })), patch: { add_tags: [tag] } } as unknown,
      })),
  );
  return fc.record({ write, key, user }).map(({ write: w, key: k, user: u }) => ({
    method: w.method,
    target: w.target,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': k,
      'x-lenslet-user': u,
      ...(ctx.token ? { authorization: `Bearer ${ctx.token}` } : {}),
    },
    body: JSON.stringify(w.body),
  }));
}

/** A whole request: mostly hostile, sometimes a valid write (so the log gets real records). */
export function request(ctx: HeaderContext, outside: string): fc.Arbitrary<RawRequest> {
  return fc.oneof(
    { weight: 5, arbitrary: hostileRequest(ctx, outside) },
    { weight: 1, arbitrary: wellFormedWrite(ctx) },
  );
}

function hostileRequest(ctx: HeaderContext, outside: string): fc.Arbitrary<RawRequest> {
  return fc
    .constantFrom(...ROUTES)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        query: queryString(route, outside),
        body:
          route.method === 'GET' || route.method === 'HEAD'
            ? fc.constant(undefined)
            : body(route, outside),
        headers: headers(ctx),
      }),
    )
    .map(({ route, query, body: b, headers: h }) => ({
      method: route.method,
      target: query ? `${route.path}?${query}` : route.path,
      // Most bodies say they are JSON (null: the header is left out on purpose).
      headers:
        b !== undefined && h['content-type'] === undefined
          ? { ...h, 'content-type': 'application/json' }
          : h,
      ...(b === undefined ? {} : { body: b }),
    }));
}
