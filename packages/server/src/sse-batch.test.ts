import { expect, test } from 'vitest';
import { TurnBatch } from './sse-batch.ts';

const frames = (...texts: string[]) => texts.map((t) => Buffer.from(t));

test('pending frames match a turn only when they are its frames, in order', () => {
  const [a, b, c] = frames('a', 'b', 'c') as [Buffer, Buffer, Buffer];
  const turn = new TurnBatch();
  for (const f of [a, b, c]) turn.add(f);
  expect(turn.matches([a, b, c])).toBe(true);
  expect(turn.matches([a, c, b])).toBe(false);
  expect(turn.matches([a, b])).toBe(false);
  expect(turn.matches([a, b, c, a])).toBe(false);
  // Equal bytes are not enough: a frame carried over from an earlier turn is another Buffer.
  expect(turn.matches(frames('a', 'b', 'c'))).toBe(false);
});

test('an empty turn matches nothing', () => {
  expect(new TurnBatch().matches([])).toBe(false);
});

test("the turn's bytes are joined once, in order, and joined again after a new frame", () => {
  const turn = new TurnBatch();
  for (const f of frames('one ', 'two ')) turn.add(f);
  const first = turn.bytes();
  expect(first.toString()).toBe('one two ');
  expect(turn.bytes()).toBe(first);
  turn.add(Buffer.from('three'));
  expect(turn.bytes().toString()).toBe('one two three');
});

test('a turn of one frame is that frame, not a copy', () => {
  const [only] = frames('only') as [Buffer];
  const turn = new TurnBatch();
  turn.add(only);
  expect(turn.bytes()).toBe(only);
});
