/**
 * What the power-loss evidence costs on the write path (`npx tsx scripts/bench/group-frame.ts`,
 * docs/benchmarks.md "Store: group frames"). Two ways to tell an interrupted, never-acknowledged
 * write from damage to acknowledged records, measured side by side in one process, alternating
 * short slices so a busy machine slows both alike:
 *
 * 1. a group frame: one more line in the same write (docs/format.md, "Group frames") — CPU to
 *    build it, and bytes, per group of 1, 16 and 256 records;
 * 2. a durable watermark file: after each group's fdatasync, write the durable offset to a side
 *    file and fdatasync it too — one more write + fdatasync per group.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { encodeRecord, frameGroup } from '@lenslet/store';
import { median } from '@lenslet/test-kit';

const QUICK = process.argv.includes('--quick');
const SLICES = QUICK ? 6 : 14;
const SLICE_MS = 400;
const root = mkdtempSync(join(tmpdir(), 'lenslet-bench-frame-'));

function groupText(records: number): string {
  let text = '';
  for (let i = 0; i < records; i++) {
    text += `${encodeRecord({
      v: 1,
      seq: 1_000_000 + i,
      at: '2026-03-01T10:00:00.000Z',
      actor: 'bench',
      path: `/t/bench-${i % 5000}.jpg` as CanonicalPath,
      version: 7,
      mutation_id: `bench-${i}-0123456789`,
      fp: 'patch:0123456789abcdef',
      changes: [{ kind: 'tags_added', tags: [`t${i % 7}`] }],
    })}\n`;
  }
  return text;
}

/** ns per call of `fn`, over a slice. */
function nsPerCall(fn: () => unknown): number {
  let calls = 0;
  const started = process.hrtime.bigint();
  const deadline = performance.now() + SLICE_MS / 4;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
  }
  return Number(process.hrtime.bigint() - started) / calls;
}

function cpu(records: number): void {
  const text = groupText(records);
  const plain: number[] = [];
  const framed: number[] = [];
  const encode: number[] = [];
  let sink = 0;
  for (let s = 0; s < SLICES; s++) {
    plain.push(nsPerCall(() => (sink += Buffer.from(text, 'utf8').length)));
    framed.push(nsPerCall(() => (sink += frameGroup(text, 123_456_789).length)));
    encode.push(nsPerCall(() => (sink += groupText(records).length)));
  }
  const extra = median(framed) - median(plain);
  const frameBytes = frameGroup(text, 123_456_789).length - Buffer.byteLength(text);
  console.log(
    `  ${records} record${records > 1 ? 's' : ''} per group: frame +${Math.round(extra)} ns per group ` +
      `(Buffer.from alone ${Math.round(median(plain))} ns, encoding the records ${Math.round(median(encode))} ns: ` +
      `+${((extra / median(encode)) * 100).toFixed(1)} % of the encode cost); ` +
      `+${frameBytes} bytes (${((frameBytes / Buffer.byteLength(text)) * 100).toFixed(1)} % of the group)${sink < 0 ? '' : ''}`,
  );
}

/** Groups per second for one slice: write + fdatasync, and optionally a watermark write + fdatasync. */
function syncSlice(fd: number, mark: number | null, group: Buffer, offset: { n: number }): number {
  let groups = 0;
  const watermark = Buffer.alloc(8);
  const started = performance.now();
  const deadline = started + SLICE_MS;
  while (performance.now() < deadline) {
    writeSync(fd, group, 0, group.length, offset.n);
    fdatasyncSync(fd);
    offset.n += group.length;
    if (mark !== null) {
      watermark.writeDoubleLE(offset.n);
      writeSync(mark, watermark, 0, 8, 0);
      fdatasyncSync(mark);
    }
    groups += 1;
  }
  return (groups * 1000) / (performance.now() - started);
}

function disk(records: number): void {
  const group = frameGroup(groupText(records), 0);
  const fd = openSync(join(root, `log-${records}`), 'w');
  const mark = openSync(join(root, `mark-${records}`), 'w');
  const offset = { n: 0 };
  const alone: number[] = [];
  const withMark: number[] = [];
  for (let s = 0; s < SLICES; s++) {
    alone.push(syncSlice(fd, null, group, offset));
    withMark.push(syncSlice(fd, mark, group, offset));
  }
  closeSync(fd);
  closeSync(mark);
  const a = median(alone);
  const b = median(withMark);
  console.log(
    `  ${records} record${records > 1 ? 's' : ''} per group: write + fdatasync ${Math.round(a)} groups/s; ` +
      `with a watermark file written and fdatasynced after each ${Math.round(b)} groups/s ` +
      `(${((b / a) * 100).toFixed(0)} % of it)`,
  );
}

try {
  console.log(`group frame vs durable watermark (median of ${SLICES} alternating slices)`);
  console.log('\nCPU and bytes of a frame (no disk)');
  for (const n of [1, 16, 256]) cpu(n);
  console.log('\ndisk: the watermark file instead (the frame adds no syscall)');
  for (const n of [1, 16]) disk(n);
} finally {
  rmSync(root, { recursive: true, force: true });
}
