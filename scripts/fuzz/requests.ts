/**
 * Whole requests for the random properties: mostly hostile (any route, query, body and headers),
 * sometimes a well-formed write, so the log gets real records with edge-case values.
 */
import fc from 'fast-check';
import { body } from './bodies.ts';
import { type HeaderContext, headers } from './headers.ts';
import { queryString } from './query.ts';
import type { RawRequest } from './raw-http.ts';
import { ROUTES } from './routes.ts';
import { encode, REAL_PATHS } from './values.ts';

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
