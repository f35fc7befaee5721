/**
 * Test support (sigkill.test.ts): a process that writes to a workspace from many concurrent
 * callers and prints `ack <seq> <mutation_id>` for every write the store acknowledged — until it
 * is killed. Arguments: <workspace dir> <callers> <worker url> <round>.
 */
import type { CanonicalPath } from '@lenslet/core';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';

const [dir, callers, workerUrl, round] = process.argv.slice(2) as [string, string, string, string];
const store = await openJsonlStore(dir, {
  worker: { url: new URL(workerUrl) },
  snapshot_every_records: 700,
  compact_above_bytes: 400_000,
  onWarning: () => {},
});
process.stdout.write('ready\n');
let n = 0;
async function caller(id: number): Promise<never> {
  for (;;) {
    const key = `r${round}-c${id}-n${n++}`;
    const path = `/img${n % 97}.jpg` as CanonicalPath;
    const patch = n % 5 === 0 ? { set_metrics: { score: n } } : { add_tags: [`t${n % 23}`] };
    const result = await store.apply(
      { path, patch },
      { actor: `caller-${id}`, mutation_id: key, mode: n % 5 === 0 ? 'metrics' : 'patch' },
    );
    if (result.record) process.stdout.write(`ack ${result.record.seq} ${key}\n`);
  }
}
for (let i = 0; i < Number(callers); i++) void caller(i);
