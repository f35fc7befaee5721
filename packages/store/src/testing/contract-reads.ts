/**
 * The store contract, reads: replay, history and stateAt agree with the live state and with each
 * other, subscribers see each durable batch once and in order, and compaction changes nothing a
 * reader can see.
 */
import { expect, test } from 'vitest';
import type { CommittedRecord } from '../port/label-store.ts';
import type { ContractContext } from './contract-context.ts';
import { meta, p } from './test-support.ts';

export function readContract({ start }: ContractContext): void {
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
    expect((await store.history(p('/a.jpg'), { before: 6, limit: 1 })).map((r) => r.seq)).toEqual([
      4,
    ]);
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
}
