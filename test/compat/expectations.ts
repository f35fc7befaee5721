/**
 * Per-pair expectations: which servers replay a recorded pair, and where the route's default
 * reads (reads.ts) are not enough — orders that depend on file times, cross-pair relations
 * (the same random seed gives the same order), headers, frames. Everything else follows from the
 * route and the recorded status. Declarative: the implementers make pairs pass, they do not
 * write tests.
 */
import { both, type CompareContext, check, each, obj, type Rule, same, T, V } from './compare.ts';
import {
  EVENT_IDENTITY,
  ISO_TIME,
  oneOf,
  PATCH_ANSWER,
  PERSISTENCE_STATE,
  queryAnswer,
  SIDECAR,
} from './reads.ts';
import type { Pair } from './recordings.ts';
import type { Target } from './servers.ts';

export type Relation = {
  /** Lenslet's answer body equals its own answer to that earlier pair (`items` only if `items`). */
  readonly title: string;
  readonly same: boolean;
  readonly field?: 'items';
};

export type PairSpec = {
  readonly targets: readonly Target[];
  /** Replaces the route's body rule. */
  readonly body?: Rule;
  /** Response headers (lower-case names) to compare, besides the media type. */
  readonly headers?: Readonly<Record<string, Rule>>;
  readonly relation?: Relation;
  /** events pairs: which frame kinds are compared. */
  readonly frames?: readonly string[];
  /** An error answer's message (or detail) must name this: the fix a script needs. */
  readonly mentions?: RegExp;
  /**
   * Send the request to this path instead: for a refused write that Lenslet may accept on
   * purpose, so that accepting it cannot change the state the later pairs were recorded in.
   */
  readonly sendTo?: string;
};

/** Pairs that need a table's columns (metrics, categoricals, the Parquet file itself). */
const TABLE_ONLY: readonly RegExp[] = [
  /with a projection/,
  /^metricRange on /,
  /^categoricalIn /,
  /^two clauses ANDed/,
  /^sort metric /,
  /^derived metric/,
  /^error: metricRange min > max/,
  /^POST \/folders\/facets with a (filter|derived)/,
  /^POST \/refresh \(table mode/,
  /^GET \/table\/source-columns \(table mode\)/,
  /after the Parquet file was rewritten/,
];

export const SESSION_COOKIE = check('sets a lenslet_session cookie', (a) =>
  (Array.isArray(a) ? a : a === undefined ? [] : [a]).some((c) =>
    /^lenslet_session=[A-Za-z0-9]{16,64}(;|$)/.test(String(c)),
  ),
);

const MUTATION_ID = check('same mutation id', (a, r) =>
  String(r).startsWith('put:') ? typeof a === 'string' && a !== '' : a === r,
);

/** An `item-updated` frame as the client applies it. */
export const ITEM_UPDATED = obj({
  path: V,
  version: V,
  tags: V,
  notes: V,
  star: V,
  updated_at: ISO_TIME,
  updated_by: V,
  mutation_id: MUTATION_ID,
  changed_fields: check(
    'same fields, any order',
    (a, r) =>
      Array.isArray(a) &&
      Array.isArray(r) &&
      a.length === r.length &&
      r.every((f) => a.includes(f)),
  ),
  accepted_event: EVENT_IDENTITY,
  persistence: oneOf('saved', 'pending'),
  durable_watermark: EVENT_IDENTITY,
});

export { PERSISTENCE_STATE };

type Item = { path: string; added_at?: string };

/** Items in added_at order (file times differ from the recording's): the order, the count and,
 * when the recording kept every item, the same items. */
function addedOrder(dir: 'asc' | 'desc'): Rule {
  const sorted = check(`sorted by added_at ${dir}`, (a) => {
    if (!Array.isArray(a)) return false;
    const times = (a as Item[]).map((i) => Date.parse(i.added_at ?? ''));
    return times.every(
      (t, i) => i === 0 || (dir === 'desc' ? times[i - 1]! >= t : times[i - 1]! <= t),
    );
  });
  const sameItems = check('same items, any order', (a, r, context: CompareContext) => {
    if (!Array.isArray(a) || !Array.isArray(r)) return false;
    const length = context.trimmed['body.items'] ?? r.length;
    if (a.length !== length) return false;
    if (length > r.length) return true; // the recording kept only the first 3
    const byPath = new Map((a as Item[]).map((i) => [i.path, i]));
    return (r as Item[]).every((i) => byPath.has(i.path));
  });
  return both(sorted, sameItems);
}

const sortOf = (body: unknown): { kind?: string; key?: string; dir?: 'asc' | 'desc' } =>
  ((body as { sort?: object } | undefined)?.sort as never) ?? {
    kind: 'builtin',
    key: 'added',
    dir: 'desc',
  };

const OWNERSHIP = /X-Lenslet-Client-Session|X-Lenslet-Query-Revision|ownership/i;

/** Overrides by title. */
const OVERRIDES: Readonly<Record<string, Partial<PairSpec>>> = {
  'GET /folders unknown folder': { mentions: /folder/i },
  'GET /item of an unknown path': { mentions: /not found|no image|no such|unknown/i },
  // Lenslet accepts a loopback script's write without Origin (docs/compat-gaps.md S3): aim it at a
  // path that takes no labels, so accepting it cannot change what the later pairs see.
  'PATCH /item without Origin': {
    mentions: /origin/i,
    sendTo: '/item?path=%2Fimages%2Fnot-in-the-recording.png',
  },
  'PATCH /item without Idempotency-Key': { mentions: /Idempotency-Key/i },
  'PATCH /item without If-Match or base_version': { mentions: /If-Match|base_version/ },
  'PATCH /item set_star 9 (validation error)': { mentions: /set_star|star/ },
  'error: no ownership headers': { mentions: OWNERSHIP },
  'error: only one ownership header': { mentions: OWNERSHIP },
  'error: a lower X-Lenslet-Query-Revision than already seen for this session': {
    mentions: /superseded|revision/i,
  },
  'error: unknown body key': { mentions: /bogus/ },
  'error: metricRange min > max': { mentions: /min|max/ },
  'error: limit 0': { mentions: /limit/ },
  'GET /folders/facets without ownership headers': { mentions: OWNERSHIP },
  'GET /metadata of an unknown path': { mentions: /not found|no image|no such|unknown/i },
  'POST /presence/join without Origin': { mentions: /origin/i },
  'POST /embeddings/search with no embeddings': { mentions: /embedding/i },
  'POST /table/source-column with an unknown column': { mentions: /nope|column/i },
  'GET /health, no Origin (table mode)': { headers: { 'set-cookie': SESSION_COOKIE } },
  'PATCH /item that changes nothing (no-op: no accepted_event, version kept)': {
    body: obj({
      sidecar: SIDECAR,
      mutation_id: V,
      accepted_event: check('absent or null', (a) => a === undefined || a === null),
      persistence: oneOf('saved', 'pending'),
      durable_watermark: EVENT_IDENTITY,
    }),
  },
  'PATCH /item replay of the same Idempotency-Key (answer replayed, nothing applied)': {
    body: PATCH_ANSWER,
    relation: {
      title:
        'PATCH /item as the web client sends it (If-Match + base_version, key "patch:<tab id>:<uuid>")',
      same: true,
    },
  },
  'sort builtin random, random_seed 7': { body: queryAnswer(each(obj({ path: T }))) },
  'sort builtin random, random_seed 7 again (same order)': {
    body: queryAnswer(each(obj({ path: T }))),
    relation: { title: 'sort builtin random, random_seed 7', same: true, field: 'items' },
  },
  'sort builtin random, random_seed "other"': {
    body: queryAnswer(each(obj({ path: T }))),
    relation: { title: 'sort builtin random, random_seed 7', same: false, field: 'items' },
  },
  'GET /thumb': { headers: { 'content-type': V } },
  'GET /file': { headers: { 'content-type': V, 'accept-ranges': V, etag: T } },
  'GET /file with Range': {
    headers: { 'content-type': V, 'content-range': V, 'content-length': V, etag: T },
  },
  'POST /export-comparison (2 images, PNG)': {
    headers: {
      'content-type': V,
      'content-disposition': check('an attachment', (a) => /^attachment/.test(String(a))),
    },
  },
  'GET / (the web client)': {
    headers: { 'content-type': V, 'set-cookie': SESSION_COOKIE },
  },
  'GET /events response head': {
    headers: {
      'content-type': V,
      'cache-control': check('no-cache', (a) => /no-cache/.test(String(a))),
      'set-cookie': SESSION_COOKIE,
    },
  },
  'every frame seen by one /events client during the whole recording (table mode)': {
    frames: ['item-updated', 'persistence', 'presence', 'table-source'],
  },
  'frames replayed on connect with Last-Event-ID: 1': { frames: ['item-updated'] },
  'every frame seen by one /events client (folder mode)': {
    frames: ['item-updated', 'persistence'],
  },
};

/** The expectations for one recorded pair. */
export function specFor(pair: Pair): PairSpec {
  const tableOnlyPair = pair.mode === 'table' && TABLE_ONLY.some((re) => re.test(pair.title));
  const targets: Target[] =
    pair.mode === 'folder' ? ['folder'] : tableOnlyPair ? ['table'] : ['table', 'portable'];
  const base: PairSpec = { targets };
  const override = OVERRIDES[pair.title] ?? {};
  const isQuery = pair.request.method === 'POST' && pair.request.path.startsWith('/folders/query');
  const sort = sortOf(pair.request.body);
  if (isQuery && sort.kind === 'builtin' && sort.key === 'added' && !override.body) {
    return { ...base, body: queryAnswer(addedOrder(sort.dir ?? 'desc')), ...override };
  }
  return { ...base, ...override };
}

/** Compare a relation between two of Lenslet's answers. */
export function relationHolds(relation: Relation, actual: unknown, earlier: unknown): boolean {
  const pick = (v: unknown) =>
    relation.field ? (v as Record<string, unknown> | undefined)?.[relation.field] : v;
  return same(pick(actual), pick(earlier)) === relation.same;
}
