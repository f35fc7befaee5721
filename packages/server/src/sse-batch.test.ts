import { expect, test } from 'vitest';
import { type Frame, TurnBatch } from './sse-batch.ts';

const frame = (text: string, seq: number | null = null): Frame => ({
  seq,
  event: seq === null ? 'views-updated' : 'record',
  bytes: Buffer.from(text),
});

test('a turn keeps its frames in delivery order, the first delivery time and its records’ seq range', () => {
  const turn = new TurnBatch();
  expect(turn.size).toBe(0);
  expect(turn.firstSeq).toBeNull();
  const frames = [frame('a'), frame('b', 7), frame('c'), frame('d', 8)];
  for (const [i, f] of frames.entries()) turn.add(f, 100 + i);
  expect(turn.size).toBe(4);
  expect(frames.map((_, i) => turn.frame(i))).toEqual(frames);
  expect(turn.since).toBe(100);
  expect([turn.firstSeq, turn.lastSeq]).toEqual([7, 8]);
});

test('a turn without records has no seq range', () => {
  const turn = new TurnBatch();
  turn.add(frame('keepalive'), 1);
  expect([turn.firstSeq, turn.lastSeq]).toEqual([null, null]);
});

test("the turn's bytes are joined once, in order, and joined again after a new frame", () => {
  const turn = new TurnBatch();
  turn.add(frame('one '), 0);
  turn.add(frame('two '), 0);
  const first = turn.bytes();
  expect(first.toString()).toBe('one two ');
  expect(turn.bytes()).toBe(first);
  turn.add(frame('three'), 0);
  expect(turn.bytes().toString()).toBe('one two three');
});

test('a turn of one frame is that frame, not a copy', () => {
  const only = frame('only');
  const turn = new TurnBatch();
  turn.add(only, 0);
  expect(turn.bytes()).toBe(only.bytes);
});
