// `lenslet compact --repair` keeps what decodes, but never the never-acknowledged tail of the
// live log: not the records of an interrupted write, not whole records after a hole (issue 12).
import type { CanonicalPath, LabelRecord } from '@lenslet/core';
import { describe, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import { decodeFrame, frameGroup } from '../log/group-frame.ts';
import { encodeRecord } from '../log/jsonl-codec.ts';
import { crashDisk, deadHolders } from '../testing/test-support.ts';
import { repairWorkspace } from './repair.ts';

const DIR = '/ws/.lenslet';
const PAGE = 4096;

function record(seq: number): LabelRecord {
  return {
    v: 1,
    seq,
    at: '2026-03-01T10:00:00.000Z',
    actor: 'ana',
    path: `/cats/${seq % 5}.jpg` as CanonicalPath,
    version: seq + 1,
    mutation_id: `key-${String(seq).padStart(8, '0')}`,
    fp: 'patch:0123456789abcdef',
    changes: [{ kind: 'tags_added', tags: [`t${seq}`] }],
  };
}
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${encodeRecord(record(from + i))}\n`).join('');

/** A framed log of groups [from, to], each written when everything before it was synced. */
function framed(groups: [number, number][]): { bytes: Buffer; starts: number[] } {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  let size = 0;
  for (const [from, to] of groups) {
    starts.push(size);
    const data = frameGroup(lines(from, to), size);
    parts.push(data);
    size += data.length;
  }
  return { bytes: Buffer.concat(parts), starts };
}

/** Zero the page(s) from the first page boundary after `after`. */
function hole(bytes: Buffer, after: number, pages = 1): Buffer {
  const out = Buffer.from(bytes);
  const from = Math.ceil((after + 1) / PAGE) * PAGE;
  out.fill(0, from, from + pages * PAGE);
  return out;
}

async function repaired(log: Buffer) {
  const fs = await crashDisk();
  await fs.mkdir(DIR);
  const handle = await fs.open(`${DIR}/labels.log.jsonl`, 'w');
  await handle.write(log, 0);
  await handle.datasync();
  const report = await repairWorkspace(fs, DIR, new Date('2026-03-02T00:00:00Z'));
  const after = Buffer.from((await fs.readFile(`${DIR}/labels.log.jsonl`))!).toString();
  const store = await openJsonlStore(DIR, { fs, probe: deadHolders, onWarning: () => {} });
  const seqs: number[] = [];
  const tags: string[] = [];
  for await (const { record } of store.replay(0)) {
    seqs.push(record.seq);
    tags.push(...record.changes.flatMap((c) => ('tags' in c ? c.tags : [])));
  }
  await store.close();
  return { report, after, seqs, tags };
}

describe('repair and the never-acknowledged tail', () => {
  const log = framed([
    [1, 20],
    [21, 40],
    [41, 120],
  ]);

  test('a hole in the last group: the group and the whole records after the hole are left out', async () => {
    const { report, after, tags } = await repaired(hole(log.bytes, log.starts[2]! + 1500));
    expect(report.kept).toBe(40);
    expect(report.unacknowledged.bytes).toBe(log.bytes.length - log.starts[2]!);
    expect(report.unacknowledged.records).toBeGreaterThan(30);
    expect(tags).toEqual(Array.from({ length: 40 }, (_, i) => `t${i + 1}`));
    // The new log ends with one frame that vouches for every record before it.
    const last = after.trimEnd().split('\n').at(-1)!;
    const frame = decodeFrame(Buffer.from(last), 0, last.length);
    expect(frame).toEqual({ group: 0, durable: Buffer.byteLength(after) - last.length - 1 });
  });

  test('damage a later frame vouches for is salvaged; the torn tail still goes', async () => {
    const damaged = hole(log.bytes, log.starts[2]! + 1500);
    const middle = log.starts[1]! + 300;
    damaged.fill(0x20, middle, middle + 5);
    const { report, tags } = await repaired(damaged);
    expect(report.dropped_lines).toBeGreaterThanOrEqual(1);
    expect(report.kept).toBe(39);
    expect(tags).not.toContain('t41');
    expect(tags).toContain('t40');
  });

  test('a log without frames: a hole ending on a page boundary, then whole records — left out', async () => {
    const old = Buffer.from(lines(1, 100));
    const { report, tags } = await repaired(hole(old, 9000));
    const firstHoleLine = old.lastIndexOf(0x0a, Math.ceil(9001 / PAGE) * PAGE) + 1;
    const before = old.subarray(0, firstHoleLine).toString().split('\n').filter(Boolean).length;
    expect(report.kept).toBe(before);
    expect(report.unacknowledged.records).toBeGreaterThan(0);
    expect(tags).toHaveLength(before);
  });

  test('a log without frames: damage that is not a hole keeps the records after it', async () => {
    const old = Buffer.from(lines(1, 100));
    old.fill(0x41, 5000, 5010);
    const { report, seqs } = await repaired(old);
    expect(report.unacknowledged).toEqual({ bytes: 0, records: 0 });
    expect(report.kept).toBeGreaterThanOrEqual(98);
    expect(seqs).toEqual(Array.from({ length: report.kept }, (_, i) => i + 1));
  });
});
