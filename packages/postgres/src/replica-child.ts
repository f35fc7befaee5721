/**
 * Test support (failures.test.ts): a replica process that writes to the log at <url> from
 * <callers> concurrent callers and prints one JSON line per acknowledged record — until it is
 * killed. Run with `node --import tsx replica-child.ts <url> <callers> <tag>`.
 */
import type { CanonicalPath } from '@lenslet/core';
import { openPostgresStore } from './open-postgres-store.ts';

const [url, callers, tag] = process.argv.slice(2) as [string, string, string];
const store = await openPostgresStore(url, { onWarning: () => {} });
process.stdout.write('ready\n');
let n = 0;
async function caller(id: number): Promise<void> {
  for (;;) {
    const i = n++;
    const mutation_id = `${tag}-${id}-${i}`;
    const result = await store.apply(
      { path: `/child/${i % 31}.jpg` as CanonicalPath, patch: { set_metrics: { n: i } } },
      { actor: `child-${id}`, mutation_id, mode: 'metrics' },
    );
    process.stdout.write(`${JSON.stringify({ mutation_id, record: result.record })}\n`);
  }
}
for (let i = 0; i < Number(callers); i++) void caller(i);
