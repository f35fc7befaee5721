import { expect, test } from 'vitest';
import { createMemoryOutbox } from '../outbox.ts';
import { outboxEntry } from '../test-support.ts';
import { createOutboxModel } from './outbox-model.ts';

const entry = outboxEntry;

test('writes of one entry reach the store in order, even when an earlier one is slow', async () => {
  const store = createMemoryOutbox();
  const order: number[] = [];
  const put = store.put;
  store.put = async (e) => {
    if (e.base === 1) await new Promise((r) => setTimeout(r, 5));
    order.push(e.base);
    await put(e);
  };
  const outbox = createOutboxModel(store, () => {});
  void outbox.put(entry('x', { base: 1 }));
  expect(await outbox.put(entry('x', { base: 2 }))).toBe(true);
  expect(order).toEqual([1, 2]);
  expect(store.entries.get('x')?.base).toBe(2);
  expect(outbox.entries.value.get('x')?.base).toBe(2);
});

test('a refused write is reported; durable() writes the entry again', async () => {
  const store = createMemoryOutbox();
  const reports: string[] = [];
  const put = store.put;
  let refuse = true;
  store.put = async (e) => {
    if (refuse) throw new Error('quota');
    await put(e);
  };
  const outbox = createOutboxModel(store, (what) => void reports.push(what));
  const e = entry('x');
  expect(await outbox.put(e)).toBe(false);
  expect(reports).toEqual(['Keeping your edit in this browser']);
  refuse = false;
  expect(await outbox.durable(e)).toBe(true);
  expect(store.entries.has('x')).toBe(true);
  expect(await outbox.durable(e)).toBe(true);
});

test("load adopts the entries of a closed tab and leaves an open tab's alone", async () => {
  const store = createMemoryOutbox([
    entry('gone', { owner: 'closed-tab' }),
    entry('alive', { owner: 'open-tab' }),
  ]);
  const outbox = createOutboxModel(store, () => {});
  await outbox.load('me', async (owner) => owner === 'open-tab');
  expect(outbox.entries.value.get('gone')?.owner).toBe('me');
  expect(store.entries.get('gone')?.owner).toBe('me');
  expect(outbox.entries.value.get('alive')?.owner).toBe('open-tab');
});
