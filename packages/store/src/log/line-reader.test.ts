import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { nodeFs } from '../port/node-fs.ts';
import { fileChunks, wholeLines } from './line-reader.ts';

async function* each(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

/** Cut `text` at the given points (sorted, within the text) into chunks. */
function cut(text: Buffer, points: number[]): Buffer[] {
  const edges = [0, ...points.map((p) => p % (text.length + 1)).sort((a, b) => a - b), text.length];
  const chunks: Buffer[] = [];
  for (let i = 1; i < edges.length; i++) {
    if (edges[i]! > edges[i - 1]!) chunks.push(text.subarray(edges[i - 1], edges[i]));
  }
  return chunks;
}

test('wholeLines gives the same bytes back, cut only after newlines, the unfinished end as partial', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom('a', 'bc', '\n', 'xyz\n', ''), { maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (parts, points) => {
        const text = Buffer.from(parts.join(''));
        const out: { buf: Buffer; partial: boolean }[] = [];
        for await (const piece of wholeLines(each(cut(text, points)))) out.push(piece);
        expect(Buffer.concat(out.map((o) => o.buf)).equals(text)).toBe(true);
        for (const [i, { buf, partial }] of out.entries()) {
          expect(buf.length).toBeGreaterThan(0);
          if (partial) {
            expect(i).toBe(out.length - 1);
            expect(buf.includes(0x0a)).toBe(false);
          } else expect(buf.at(-1)).toBe(0x0a);
        }
        const ends = text.length > 0 && text.at(-1) !== 0x0a;
        expect(out.at(-1)?.partial ?? false).toBe(ends);
      },
    ),
    { numRuns: 500 },
  );
});

test('fileChunks reads ahead yet gives every chunk in order, and stopping early leaves no read behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lenslet-chunks-'));
  try {
    const path = join(dir, 'f');
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    await writeFile(path, data);
    const fs = nodeFs();
    const handle = await fs.open(path, 'r');
    const chunks: Buffer[] = [];
    for await (const chunk of fileChunks(handle, 100, 4900, 512)) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([...Array(9).fill(512), 4800 - 9 * 512]);
    expect(Buffer.concat(chunks).equals(data.subarray(100, 4900))).toBe(true);
    // Past the end of the file: only what is there.
    const tail: Buffer[] = [];
    for await (const chunk of fileChunks(handle, 4000, 9000, 512)) tail.push(chunk);
    expect(Buffer.concat(tail).equals(data.subarray(4000))).toBe(true);
    for await (const chunk of fileChunks(handle, 0, 5000, 512)) {
      expect(chunk.length).toBe(512);
      break;
    }
    await handle.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
