// The torn-tail rule on framed logs (tail-verdict.ts): a hole in the last, never-acknowledged
// group is cut with everything after it; damage a later frame vouches for is refused.
import type { CanonicalPath, LabelRecord } from '@lenslet/core';
import { describe, expect, test } from 'vitest';
import { CrashFs } from '../testing/crash-fs.ts';
import { frameGroup } from './group-frame.ts';
import { encodeRecord } from './jsonl-codec.ts';
import { LogProblem, readRecords } from './log-records.ts';

const PAGE = 4096;

function record(seq: number): LabelRecord {
  return {
    v: 1,
    seq,
    at: '2026-03-01T10:00:00.000Z',
    actor: 'ana',
    path: `/cats/${seq % 7}.jpg` as CanonicalPath,
    version: seq + 1,
    mutation_id: `key-${String(seq).padStart(8, '0')}`,
    fp: 'patch:0123456789abcdef',
    changes: [{ kind: 'tags_added', tags: [`tag-${seq}`] }],
  };
}

const lines = (from: number, to: number) => {
  let text = '';
  for (let seq = from; seq <= to; seq++) text += `${encodeRecord(record(seq))}\n`;
  return text;
};

type Log = { bytes: Buffer; starts: number[] };

/** A log of groups [from, to]; with `lag` n, a frame says only the bytes before the group n back were synced. */
function framedLog(groups: [number, number][], lag = 0): Log {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  let size = 0;
  for (let g = 0; g < groups.length; g++) {
    const [from, to] = groups[g]!;
    starts.push(size);
    const durable = lag === 0 ? size : (starts[g - lag] ?? 0);
    const data = frameGroup(lines(from, to), durable);
    parts.push(data);
    size += data.length;
  }
  return { bytes: Buffer.concat(parts), starts };
}

async function read(bytes: Buffer, tolerateTail = true) {
  const fs = new CrashFs();
  await fs.mkdir('/ws');
  const handle = await fs.open('/ws/labels.log.jsonl', 'w');
  await handle.write(bytes, 0);
  const seqs: number[] = [];
  const summary = await readRecords(
    { fs, dir: '/ws', file: { kind: 'live', name: 'labels.log.jsonl', from: 1, to: 0, bytes: 0 } },
    { expectSeq: 1, tolerateTail },
    ({ records }) => {
      for (const r of records) seqs.push(r.seq);
    },
  );
  return { summary, seqs };
}

async function problem(bytes: Buffer, tolerateTail = true): Promise<LogProblem> {
  try {
    await read(bytes, tolerateTail);
  } catch (error) {
    if (error instanceof LogProblem) return error;
    throw error;
  }
  throw new Error('expected a LogProblem');
}

/** Zero the page-aligned bytes [from, to) (what a power cut leaves of pages never written). */
function hole(bytes: Buffer, from: number, to: number): Buffer {
  const out = Buffer.from(bytes);
  out.fill(0, from, to);
  return out;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('framed log: the torn-tail rule', () => {
  const log = framedLog([
    [1, 30],
    [31, 60],
    [61, 150],
  ]);
  const last = log.starts[2]!;

  test('an intact framed log reads every record, frames skipped', async () => {
    const { summary, seqs } = await read(log.bytes);
    expect(seqs).toEqual(range(1, 150));
    expect(summary).toMatchObject({ nextSeq: 151, endOffset: log.bytes.length, torn: null });
  });

  test('a hole in the last group, then whole records to the end: the whole group is cut', async () => {
    const pageIn = Math.ceil((last + 2000) / PAGE) * PAGE;
    const torn = hole(log.bytes, pageIn, pageIn + PAGE);
    const { summary, seqs } = await read(torn);
    // Nothing of the last group is applied — not the records before the hole, not those after it.
    expect(seqs).toEqual(range(1, 60));
    expect(summary.nextSeq).toBe(61);
    expect(summary.endOffset).toBe(last);
    expect(summary.torn).toMatchObject({
      offset: last,
      reason: expect.stringContaining('zero bytes'),
    });
    expect(summary.torn!.records).toBeGreaterThan(20);
    expect(summary.torn!.reason).toContain('were never acknowledged');
  });

  test('the hole may start with the frame itself', async () => {
    const torn = hole(log.bytes, last, Math.ceil((last + 1) / PAGE) * PAGE);
    const { summary, seqs } = await read(torn);
    expect(seqs).toEqual(range(1, 60));
    expect(summary.torn?.offset).toBe(last);
  });

  test('the file ends inside the last group (even at a line end): the group is cut', async () => {
    const lineEnd = log.bytes.indexOf(0x0a, last + 3000) + 1;
    for (const cut of [lineEnd, lineEnd + 17, log.bytes.length - 1]) {
      const { summary, seqs } = await read(log.bytes.subarray(0, cut));
      expect(seqs, `cut at ${cut}`).toEqual(range(1, 60));
      expect(summary.torn?.offset).toBe(last);
    }
  });

  test('damage that a later frame vouches for is refused, naming the line', async () => {
    const middle = log.starts[1]! + 500;
    const error = await problem(hole(log.bytes, middle, middle + 40));
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/line 3\d: zero bytes .*an acknowledged record is damaged/);
    // A flipped byte: a complete line with a bad crc, same answer.
    const flipped = Buffer.from(log.bytes);
    flipped[middle] = flipped[middle]! ^ 1;
    expect((await problem(flipped)).message).toMatch(/an acknowledged record is damaged/);
  });

  test('a line removed from an acknowledged group is refused (a gap, or the group is short)', async () => {
    const without = (lineStart: number) => {
      const lineEnd = log.bytes.indexOf(0x0a, lineStart) + 1;
      return Buffer.concat([log.bytes.subarray(0, lineStart), log.bytes.subarray(lineEnd)]);
    };
    const inside = log.bytes.indexOf(0x0a, log.starts[1]! + 100) + 1;
    expect((await problem(without(inside))).message).toMatch(/expected seq \d+ but found/);
    // Its last line: the next frame comes too early, and it says the bytes were on disk.
    const lastLine = log.bytes.lastIndexOf(0x0a, last - 2) + 1;
    const error = await problem(without(lastLine));
    expect(error.message).toMatch(/inside the previous group.*an acknowledged record is damaged/);
  });

  test('a complete line that fails its crc, with more lines after it, is not a torn write', async () => {
    const inLast = log.bytes.indexOf(0x0a, last + 1000) + 10;
    const flipped = Buffer.from(log.bytes);
    flipped[inLast] = flipped[inLast]! ^ 1;
    expect((await problem(flipped)).message).toMatch(/not a torn write/);
  });

  test('two groups in flight (the later written before the earlier synced): both are cut', async () => {
    const pipelined = framedLog(
      [
        [1, 30],
        [31, 60],
        [61, 90],
      ],
      1,
    );
    const second = pipelined.starts[1]!;
    const { summary, seqs } = await read(hole(pipelined.bytes, second + 10, second + 60));
    expect(seqs).toEqual(range(1, 30));
    expect(summary.torn?.offset).toBe(second);
    expect(summary.torn?.records).toBe(30 + 29);
  });

  test('outside tolerant mode any damage is a problem, an unfinished group too', async () => {
    expect((await problem(log.bytes.subarray(0, log.bytes.length - 5), false)).message).toMatch(
      /incomplete/,
    );
    const lineEnd = log.bytes.indexOf(0x0a, last + 3000) + 1;
    expect((await problem(log.bytes.subarray(0, lineEnd), false)).message).toMatch(
      /last group is incomplete/,
    );
  });
});

describe('unframed log (written before frames): the old rule', () => {
  const bytes = Buffer.from(lines(1, 100));

  test('a hole followed by good records is refused: no evidence it was never acknowledged', async () => {
    const error = await problem(hole(bytes, PAGE, 2 * PAGE));
    expect(error.message).toMatch(
      /zero bytes .*good records follow it, so this is not a torn write/,
    );
  });

  test('bad bytes at the very end are a torn write, cut at the bad line', async () => {
    const lineStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
    const { summary, seqs } = await read(hole(bytes, lineStart + 5, bytes.length));
    expect(seqs).toEqual(range(1, 99));
    expect(summary.torn).toMatchObject({ offset: lineStart, records: 0 });
  });
});

test('frames appended to an unframed log vouch for everything before them', async () => {
  const old = Buffer.from(lines(1, 40));
  const bytes = Buffer.concat([old, frameGroup(lines(41, 45), old.length)]);
  const { seqs } = await read(bytes);
  expect(seqs).toEqual(range(1, 45));
  const error = await problem(hole(bytes, 1000, 1100));
  expect(error.message).toMatch(/an acknowledged record is damaged/);
});
