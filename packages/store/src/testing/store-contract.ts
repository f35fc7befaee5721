/**
 * The contract every LabelStore passes. `memory-store.test.ts` and `jsonl-store.test.ts` both run
 * it; a future PostgreSQL store will too.
 */
import type { CanonicalPath, LensletError } from '@lenslet/core';
import { afterEach, describe, expect, test } from 'vitest';
import type { CommittedRecord, LabelStore, WriteMeta } from '../port/label-store.ts';

export type StoreFixture = {
  readonly store: LabelStore;
  /** Close and reopen the same workspace (absent for stores without persistence). */
  readonly reopen?: () => Promise<LabelStore>;
  readonly cleanup: () => Promise<void>;
};

const p = (s: string) => s as CanonicalPath;
let keyCounter = 0;
const meta = (over: Partial<WriteMeta> = {}): WriteMeta => ({
  actor: 'ana',
  mutation_id: `key-${String(++keyCounter).padStart(6, '0')}`,
  mode: 'patch',
  ...over,
});

async function rejection(promise: Promise<unknown>): Promise<LensletError> {
  try {
    await promise;
  } catch (error) {
    return error as LensletError;
  }
  throw new Error('expected a rejection');
}

export type ContractOptions = { readonly persistent: boolean };

export function describeStoreContract(
  name: string,
  open: () => Promise<StoreFixture>,
  options: ContractOptions,
): void {
  describe(`${name}: store contract`, () => {
    let fixture: StoreFixture | undefined;
    const start = async () => {
      fixture = await open();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

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

    test('replay, history and stateAt agree with the live state', async () => {
      const store = await start();
      for (let i = 0; i < 6; i++) {
        await store.apply(
          { path: p(i % 2 ? '/a.jpg' : '/b.jpg'), patch: { add_tags: [`t${i}`] } },
          meta(),
        );
      }
      const replayed: CommittedRecord[] = [];
      for await (const c of store.replay(2)) replayed.push(c);
      expect(replayed.map((c) => c.record.seq)).toEqual([3, 4, 5, 6]);
      expect(replayed.at(-1)!.labels).toEqual(store.get(replayed.at(-1)!.record.path));
      const history = await store.history(p('/a.jpg'));
      expect(history.map((r) => r.seq)).toEqual([6, 4, 2]);
      expect((await store.history(p('/a.jpg'), { before: 6, limit: 1 })).map((r) => r.seq)).toEqual(
        [4],
      );
      const at4 = await store.stateAt(4);
      expect(at4.seq).toBe(4);
      expect(at4.items.get(p('/a.jpg'))?.tags).toEqual(['t1', 't3']);
      expect((await store.stateAt(store.head())).items).toEqual(new Map(store.items()));
    });

    test('subscribers see each durable batch once, in seq order', async () => {
      const store = await start();
      const seen: number[] = [];
      const off = store.subscribe((batch) => seen.push(...batch.map((c) => c.record.seq)));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.apply({ path: p(`/i${i % 3}.jpg`), patch: { add_tags: [`t${i}`] } }, meta()),
        ),
      );
      off();
      await store.apply({ path: p('/z.jpg'), patch: { add_tags: ['after'] } }, meta());
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    test('record times never go backwards', async () => {
      const store = await start();
      for (let i = 0; i < 5; i++)
        await store.apply({ path: p('/a.jpg'), patch: { add_tags: [`t${i}`] } }, meta());
      const times = (await store.history(p('/a.jpg'))).map((r) => r.at).reverse();
      expect([...times].sort()).toEqual(times);
    });

    test('history honours limit and before; an image without records has none', async () => {
      const store = await start();
      for (let i = 0; i < 5; i++) {
        await store.apply({ path: p('/h.jpg'), patch: { add_tags: [`t${i}`] } }, meta());
      }
      expect((await store.history(p('/h.jpg'), { limit: 2 })).map((r) => r.seq)).toEqual([5, 4]);
      expect((await store.history(p('/h.jpg'), { before: 3 })).map((r) => r.seq)).toEqual([2, 1]);
      expect(await store.history(p('/none.jpg'))).toEqual([]);
    });

    test('replay honours until; stateAt(0) is empty; no-ops reach no subscriber', async () => {
      const store = await start();
      const seen: number[] = [];
      store.subscribe((batch) => seen.push(...batch.map((c) => c.record.seq)));
      await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
      await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
      await store.apply({ path: p('/b.jpg'), patch: { add_tags: ['y'] } }, meta());
      expect(seen).toEqual([1, 2]);
      const upTo1: number[] = [];
      for await (const c of store.replay(0, 1)) upTo1.push(c.record.seq);
      expect(upTo1).toEqual([1]);
      expect((await store.stateAt(0)).items.size).toBe(0);
      expect(store.status().seq).toBe(2);
    });

    test('compaction changes no label, no record and no answer', async () => {
      const store = await start();
      const keyed = meta();
      await store.apply({ path: p('/a.jpg'), patch: { set_star: 5 }, expected_version: 1 }, keyed);
      for (let i = 0; i < 10; i++) {
        await store.apply({ path: p(`/c${i % 3}.jpg`), patch: { add_tags: [`t${i}`] } }, meta());
      }
      const before = { items: new Map(store.items()), history: await store.history(p('/c1.jpg')) };
      const report = await store.compact();
      expect(report.to_seq).toBe(11);
      await store.apply({ path: p('/c1.jpg'), patch: { add_tags: ['after'] } }, meta());
      expect(new Map([...store.items()].filter(([path]) => path !== '/c1.jpg'))).toEqual(
        new Map([...before.items].filter(([path]) => path !== '/c1.jpg')),
      );
      expect((await store.history(p('/c1.jpg'))).slice(1)).toEqual(before.history);
      const again = await store.apply(
        { path: p('/a.jpg'), patch: { set_star: 5 }, expected_version: 1 },
        keyed,
      );
      expect(again).toMatchObject({ replayed: true, seq: 1 });
      const all: number[] = [];
      for await (const c of store.replay(0)) all.push(c.record.seq);
      expect(all).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    test.runIf(options.persistent)('history, replay and idempotency survive a reopen', async () => {
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
      const reopened = await fixture!.reopen!();
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

    test.runIf(options.persistent)(
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
        const reopened = await fixture!.reopen!();
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
  });
}
