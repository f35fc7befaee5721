/** Query strings: the route's own parameter names (and some others) with hostile values. */
import fc from 'fast-check';
import type { Route } from './routes.ts';
import { anyString, encode, hostilePaths, REAL_PATHS } from './values.ts';

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
