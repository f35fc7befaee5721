/**
 * The store contract for stores that persist: whatever was acknowledged — labels, history,
 * replay and idempotency keys — is there again after the store is closed and reopened.
 */
import { expect, test } from 'vitest';
import type { ContractContext } from './contract-context.ts';
import { meta, p } from './test-support.ts';

export function persistenceContract({ start, reopen }: ContractContext, persistent: boolean): void {
  test.runIf(persistent)('history, replay and idempotency survive a reopen', async () => {
    const store = await start();
    const keyed = meta({ mode: 'bulk' });
    await store.applyBatch(
      ['/x.jpg', '/y.jpg'].map((path) => ({ path: p(path), patch: { add_tags: ['bulk'] } })),
      keyed,
    );
    await store.apply(
      { path: p('/x.jpg'), patch: { set_notes: 'n' }, expected_version: 2 },
      meta(),
    );
    const reopened = await reopen();
    expect((await reopened.history(p('/x.jpg'))).map((r) => r.seq)).toEqual([3, 1]);
    const labels: number[] = [];
    for await (const c of reopened.replay(1)) labels.push(c.labels.version);
    expect(labels).toEqual([2, 3]);
    const retry = await reopened.applyBatch(
      ['/x.jpg', '/y.jpg', '/z.jpg'].map((path) => ({
        path: p(path),
        patch: { add_tags: ['bulk'] },
      })),
      keyed,
    );
    expect(retry.map((o) => (o.ok ? [o.result.replayed, o.result.seq] : o.error.code))).toEqual([
      [true, 1],
      [true, 2],
      [false, 4],
    ]);
  });

  test.runIf(persistent)(
    'everything acknowledged survives a reopen, including idempotency',
    async () => {
      const store = await start();
      const m = meta();
      await store.apply(
        { path: p('/a.jpg'), patch: { set_star: 3, add_tags: ['k'] }, expected_version: 1 },
        m,
      );
      await store.apply(
        { path: p('/b.jpg'), patch: { set_notes: 'hello' }, expected_version: 1 },
        meta(),
      );
      const reopened = await reopen();
      expect(reopened.head()).toBe(2);
      expect(reopened.get(p('/a.jpg'))).toMatchObject({ star: 3, tags: ['k'], version: 2 });
      const again = await reopened.apply(
        { path: p('/a.jpg'), patch: { set_star: 3, add_tags: ['k'] }, expected_version: 1 },
        m,
      );
      expect(again.replayed).toBe(true);
      expect(reopened.head()).toBe(2);
    },
  );
}
