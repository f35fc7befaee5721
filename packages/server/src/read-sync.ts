/**
 * Read your writes across replicas. Behind a round-robin load balancer a browser's next request
 * usually lands on another replica than its write; every answer that reflects labels or the log
 * head therefore first waits for `deps.sync` (the store catching up with every write acknowledged
 * anywhere: one indexed read of the records after the local head). The list below is the one
 * place that says which requests those are; the `read` stage (stages.ts) runs the wait.
 *
 * When the database cannot be read, the wait ends (at once once the store knows, at most
 * READ_SYNC_WAIT_MS otherwise) and the answer comes from what this replica holds: reads and live
 * streams stay up while the database is down (no write can be acknowledged meanwhile, and the
 * answer's `seq` says how far it reaches).
 */

/** Requests whose answers reflect labels or the log head (method, exact path). */
export const LABEL_READS: readonly (readonly [method: 'GET' | 'POST', path: string])[] = [
  ['GET', '/item'],
  ['GET', '/item/detail'],
  ['GET', '/item/history'],
  ['GET', '/folders'],
  ['GET', '/search'],
  ['GET', '/tags'],
  ['POST', '/folders/query'],
  ['GET', '/folders/facets'],
  ['POST', '/folders/facets'],
  ['GET', '/folders/fields'],
  ['POST', '/folders/fields'],
  ['GET', '/export'],
  ['POST', '/export'],
  ['GET', '/health'],
  // A resume point (Last-Event-ID) written on another replica must not look "ahead of head".
  ['GET', '/events'],
];

/** Longest a read waits for the store to catch up before answering from what it holds. */
export const READ_SYNC_WAIT_MS = 2_000;

const READS = new Set(LABEL_READS.map(([method, path]) => `${method} ${path}`));

/** True when the answer to `method path` reflects labels (HEAD is a GET). */
export function reflectsLabels(method: string | undefined, path: string): boolean {
  return READS.has(`${method === 'HEAD' ? 'GET' : method} ${path}`);
}

/** Wait for `sync` at most `waitMs`; never rejects (a failed catch-up answers from memory). */
export function catchUp(sync: () => Promise<unknown>, waitMs = READ_SYNC_WAIT_MS): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    sync().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
