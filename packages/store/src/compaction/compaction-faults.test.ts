// Found by the soak test (issue 6): a compaction on a disk that refuses writes must answer a
// clear persistence_unavailable (503 over /admin/compact), not an internal error, and lose
// nothing: the next compaction, once the disk is healthy, finishes the job.
import { expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { FaultInjector, type FaultOp } from '../testing/faults.ts';
import { crashDisk, deadHolders, meta, p, rejection } from '../testing/test-support.ts';

const DIR = '/ws/.lenslet';

test.each([
  ['open', 'ENOSPC'],
  ['rename', 'EIO'],
  ['datasync', 'ENOSPC'],
] as const)('compaction on a failing disk (%s %s): 503, nothing lost', async (op, code) => {
  const faults = new FaultInjector();
  const disk = await crashDisk();
  const store = await openJsonlStore(DIR, {
    fs: faults.wrap(disk),
    probe: deadHolders,
    onWarning: () => {},
  });
  for (let i = 0; i < 5; i++) {
    await store.apply({ path: p(`/a${i}.jpg`), patch: { add_tags: ['x'] } }, meta());
  }
  faults.fail({ op: op as FaultOp, code });
  const error = await rejection(store.compact());
  expect(error.code).toBe('persistence_unavailable');
  expect(error.message).toContain(code);
  faults.clear();
  await store.apply({ path: p('/a0.jpg'), patch: { add_tags: ['y'] } }, meta());
  const report = await store.compact();
  expect(report.to_seq).toBe(6);
  expect(store.get(p('/a0.jpg')).tags).toEqual(['x', 'y']);
  await store.close();
});
