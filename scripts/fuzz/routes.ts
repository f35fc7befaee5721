/**
 * The routes the fuzzer sends requests to, with the query parameters and body each one takes.
 * routes.test.ts checks this list against the routes the server app really serves, so a new
 * route the fuzzer does not know fails a test.
 */

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
  /**
   * What on the server answers it, when not a route of the same method and path: another route's
   * pattern (a catch-all), `static` (the web client's files), or `null` for a request no route
   * takes on purpose (a method or path the server must refuse).
   */
  readonly serves?: string | null;
};

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', params: [] },
  {
    method: 'GET',
    path: '/folders',
    params: ['path', 'recursive', 'count_only', 'offset', 'limit', 'fields'],
  },
  { method: 'GET', path: '/folders/paths', params: [] },
  { method: 'POST', path: '/folders/query', params: [], body: 'query' },
  { method: 'GET', path: '/folders/facets', params: ['path', 'recursive'] },
  { method: 'POST', path: '/folders/facets', params: [], body: 'query' },
  { method: 'GET', path: '/folders/facets', params: ['path', 'recursive'] },
  { method: 'GET', path: '/folders/fields', params: ['path', 'recursive'] },
  { method: 'POST', path: '/folders/fields', params: [], body: 'query' },
  { method: 'GET', path: '/search', params: ['q', 'path', 'offset', 'limit'] },
  { method: 'GET', path: '/tags', params: ['path', 'q', 'limit'] },
  { method: 'GET', path: '/item/detail', params: ['path'] },
  { method: 'GET', path: '/metadata', params: ['path'] },
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
  {
    method: 'GET',
    path: '/export',
    params: ['format', 'path', 'as_of', 'labeled_only', 'fields'],
  },
  { method: 'POST', path: '/export', params: [], body: 'export' },
  { method: 'GET', path: '/events', params: ['last_event_id', 'log_id'] },
  { method: 'POST', path: '/presence/join', params: [], body: 'presence' },
  { method: 'POST', path: '/presence/move', params: [], body: 'presence' },
  { method: 'POST', path: '/presence/leave', params: [], body: 'presence' },
  { method: 'GET', path: '/presence/diagnostics', params: [] },
  { method: 'GET', path: '/sync/state', params: [] },
  { method: 'POST', path: '/refresh', params: ['path'] },
  // The original Lenslet's features Lenslet answers as "not available" (their bodies are ignored).
  { method: 'GET', path: '/embeddings', params: [] },
  { method: 'POST', path: '/embeddings/search', params: [] },
  { method: 'GET', path: '/table/source-columns', params: [] },
  { method: 'POST', path: '/table/source-column', params: [] },
  { method: 'POST', path: '/export-comparison', params: [] },
  { method: 'GET', path: '/', params: [] },
  { method: 'GET', path: '/index.html', params: [] },
  { method: 'GET', path: '/app.js', params: [], serves: 'static' },
  { method: 'GET', path: '/no/such/route', params: [], serves: '/{*rest}' },
  { method: 'POST', path: '/admin/compact', params: [] },
  // The disk-fault hook exists only under LENSLET_TEST_FAULTS=1, which fuzzed servers never set.
  { method: 'POST', path: '/admin/faults', params: [], serves: null },
  { method: 'DELETE', path: '/admin/faults', params: [], serves: null },
  { method: 'DELETE', path: '/item', params: ['path'], serves: null },
  { method: 'OPTIONS', path: '/item', params: ['path'], serves: null },
];
