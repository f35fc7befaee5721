import { expect, test } from 'vitest';
import { deferredOutbox } from './outbox.ts';
import { outboxEntry } from './test-support.ts';

test('an outbox that cannot open says why and keeps edits in memory', async () => {
  const why: unknown[] = [];
  const outbox = deferredOutbox(Promise.reject(new Error('IndexedDB blocked')), (e) => why.push(e));
  await outbox.put(outboxEntry('x'));
  expect((await outbox.all()).map((e) => e.id)).toEqual(['x']);
  expect(why).toEqual([new Error('IndexedDB blocked')]);
});
