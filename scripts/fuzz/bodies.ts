/** Request bodies: typed for each route (valid-looking or not), random JSON, or not JSON at all. */
import fc from 'fast-check';
import { maybeWrong, metrics, patch, pathValue, star, tags, wrong } from './label-values.ts';
import type { Route } from './routes.ts';
import { anyString } from './values.ts';

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
          labeled_only: maybeWrong(fc.boolean()),
          fields: maybeWrong(fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 })),
          derived: maybeWrong(
            fc.record({ formula: fc.constantFrom('score * 2', 'z(score) +', '`x` - 1', '') }),
          ),
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
