/**
 * The store contract, writes: versions and gapless seqs, no-ops, conflicts between concurrent
 * writers, idempotency (a retried key answers again, a reused one is refused) and bulk batches.
 */
import type { LensletError } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { ContractContext } from './contract-context.ts';
import { meta, p, rejection } from './test-support.ts';

export function writeContract({ start }: ContractContext): void {
  test('a new image is at version 1 with no record', async () => {
    const store = await start();
    expect(store.head()).toBe(0);
    expect(store.get(p('/a.jpg'))).toMatchObject({
      version: 1,
      star: null,
      updated_at: null,
      updated_by: null,
    });
  });

  test('applies a patch, bumps the version and gives gapless seqs', async () => {
    const store = await start();
    const r1 = await store.apply(
      { path: p('/a.jpg'), patch: { set_star: 4 }, expected_version: 1 },
      meta(),
    );
    const r2 = await store.apply(
      { path: p('/b.jpg'), patch: { add_tags: ['cat'] } },
      meta({ actor: 'bo' }),
    );
    expect(r1.record?.seq).toBe(1);
    expect(r2.record?.seq).toBe(2);
    expect(r1.labels).toMatchObject({ star: 4, version: 2, updated_by: 'ana' });
    expect(store.get(p('/b.jpg'))).toMatchObject({ tags: ['cat'], version: 2, updated_by: 'bo' });
    expect(store.head()).toBe(2);
  });

  test('a no-op records nothing and bumps nothing', async () => {
    const store = await start();
    await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
    const noop = await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
    expect(noop.record).toBeNull();
    expect(noop.labels.version).toBe(2);
    expect(store.head()).toBe(1);
  });

  test('concurrent set_star on one image from the same version: exactly one wins', async () => {
    const store = await start();
    const writes = [1, 2, 3, 4, 5].map((star) =>
      store
        .apply({ path: p('/a.jpg'), patch: { set_star: star }, expected_version: 1 }, meta())
        .then(
          (r) => ({ ok: true as const, r }),
          (e: LensletError) => ({ ok: false as const, e }),
        ),
    );
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) {
      expect(r.e.code).toBe('version_conflict');
      expect(r.e.details.current).toMatchObject({ path: '/a.jpg', version: 2 });
    }
    expect(store.head()).toBe(1);
  });

  test('concurrent add_tags all apply, each with its own version', async () => {
    const store = await start();
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((t) =>
        store.apply({ path: p('/x.jpg'), patch: { add_tags: [t] } }, meta()),
      ),
    );
    expect(store.get(p('/x.jpg'))).toMatchObject({ version: 5 });
    expect([...store.get(p('/x.jpg')).tags].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a retried key returns the original answer and records nothing new', async () => {
    const store = await start();
    const m = meta();
    const first = await store.apply(
      { path: p('/a.jpg'), patch: { set_star: 2 }, expected_version: 1 },
      m,
    );
    await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['later'] } }, meta());
    const again = await store.apply(
      { path: p('/a.jpg'), patch: { set_star: 2 }, expected_version: 1 },
      m,
    );
    expect(again.replayed).toBe(true);
    expect(again.labels).toEqual(first.labels);
    expect(again.seq).toBe(first.record!.seq);
    expect(store.head()).toBe(2);
  });

  test('a key reused for a different request is refused', async () => {
    const store = await start();
    const m = meta();
    await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, m);
    const error = await rejection(
      store.apply({ path: p('/a.jpg'), patch: { add_tags: ['y'] } }, m),
    );
    expect(error.code).toBe('idempotency_key_reused');
    const other = await rejection(
      store.apply({ path: p('/b.jpg'), patch: { add_tags: ['x'] } }, m),
    );
    expect(other.code).toBe('idempotency_key_reused');
  });

  test('bulk: one record per item, per-item conflicts, retry applies only what is missing', async () => {
    const store = await start();
    await store.apply({ path: p('/b.jpg'), patch: { set_star: 1 }, expected_version: 1 }, meta());
    const m = meta({ mode: 'bulk' });
    const entries = ['/a.jpg', '/b.jpg', '/c.jpg'].map((path) => ({
      path: p(path),
      patch: { set_star: 5 },
      expected_version: 1,
    }));
    const outcomes = await store.applyBatch(entries, m);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(store.head()).toBe(3);
    const retry = await store.applyBatch(entries, m);
    expect(retry.map((o) => (o.ok ? o.result.replayed : o.error.code))).toEqual([
      true,
      'version_conflict',
      true,
    ]);
    expect(store.head()).toBe(3);
  });
}
