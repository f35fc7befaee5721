import { expect, test } from 'vitest';
import { type PacerClock, PersistencePacer } from './persistence-pacer.ts';

/** A manual clock: `advance` runs the timers that fall due, in order. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: PacerClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((t) => t !== next);
      now = next.at;
      next.run();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.length };
}

function paced() {
  const { clock, advance, pending } = manualClock();
  const sent: number[] = [];
  const pacer = new PersistencePacer(250, () => sent.push(clock.now()), clock);
  return { pacer, advance, sent, pending };
}

test('the first batch after a quiet interval carries a frame at once (no timer)', () => {
  const { pacer, sent, pending, advance } = paced();
  pacer.onBatch();
  expect(sent).toEqual([0]);
  expect(pending()).toBe(0);
  advance(300);
  pacer.onBatch();
  expect(sent).toEqual([0, 300]);
});

test('a steady stream of batches: one frame per interval, each carried by a batch, no timer fires', () => {
  const { pacer, sent, advance } = paced();
  for (let t = 0; t <= 1_000; t += 50) {
    pacer.onBatch();
    advance(50);
  }
  expect(sent).toEqual([0, 250, 500, 750, 1000]);
});

test('batches with gaps: a frame never sooner than the interval after the last', () => {
  const { pacer, sent, advance } = paced();
  for (const gap of [0, 90, 90, 90, 90, 90, 90, 90, 90]) {
    advance(gap);
    pacer.onBatch();
  }
  expect(sent).toEqual([0, 270, 540]);
  for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(250);
});

test('writes that stop: the owed frame comes by timer, 1.5 intervals after the last frame', () => {
  const { pacer, sent, advance, pending } = paced();
  pacer.onBatch();
  advance(100);
  pacer.onBatch();
  expect(sent).toEqual([0]);
  advance(1_000);
  expect(sent).toEqual([0, 375]);
  expect(pending()).toBe(0);
});

test('a batch that carried a frame after the timer was set moves the timer on', () => {
  const { pacer, sent, advance } = paced();
  pacer.onBatch(); // frame at 0
  advance(100);
  pacer.onBatch(); // owed; timer due at 375
  advance(200);
  pacer.onBatch(); // 300 ≥ 250: carries the frame
  advance(10);
  pacer.onBatch(); // owed again, after the frame at 300
  advance(1_000);
  expect(sent).toEqual([0, 300, 675]);
});

test('close stops an owed frame', () => {
  const { pacer, sent, advance, pending } = paced();
  pacer.onBatch();
  advance(10);
  pacer.onBatch();
  pacer.close();
  expect(pending()).toBe(0);
  advance(1_000);
  expect(sent).toEqual([0]);
});
