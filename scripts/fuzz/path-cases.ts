/** Targeted cases: every traversal and symlink path on every route that reads a file or an item. */
import type { Oracle } from './oracle.ts';
import { json, jsonHeaders, prober, type Target } from './probe.ts';
import { hostilePaths, encode as q, REAL_PATHS, UNICODE } from './values.ts';

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
