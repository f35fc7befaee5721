import { describe, expect, test } from 'vitest';
import { CRASHED, CrashFs } from './crash-fs.ts';

const text = (data: Uint8Array | null) => (data === null ? null : Buffer.from(data).toString());

async function fileWith(fs: CrashFs, path: string, content: string, sync: boolean) {
  const handle = await fs.open(path, 'w');
  await handle.write(Buffer.from(content), 0);
  if (sync) await handle.datasync();
  await handle.close();
}

/** A double with a durable, empty /ws. */
async function withWorkspace() {
  const fs = new CrashFs();
  await fs.mkdir('/ws');
  await fs.syncDir('/');
  return fs;
}

/** A durable /ws/log holding the synced line "one\n"; returns its append handle. */
async function logWithOneSyncedLine(fs: CrashFs) {
  const handle = await fs.open('/ws/log', 'a+');
  await fs.syncDir('/ws');
  await handle.write(Buffer.from('one\n'), 0);
  await handle.datasync();
  return handle;
}

describe('crash double', () => {
  test('a created file survives a crash only after its directory is synced', async () => {
    const fs = await withWorkspace();
    await fileWith(fs, '/ws/a', 'hello', true);
    fs.crash();
    expect(await fs.readFile('/ws/a')).toBeNull();
    await fileWith(fs, '/ws/a', 'hello', true);
    await fs.syncDir('/ws');
    fs.crash();
    expect(text(await fs.readFile('/ws/a'))).toBe('hello');
  });

  test('bytes survive only up to the last datasync', async () => {
    const fs = await withWorkspace();
    const handle = await logWithOneSyncedLine(fs);
    await handle.write(Buffer.from('two\n'), 4);
    fs.crash();
    expect(text(await fs.readFile('/ws/log'))).toBe('one\n');
  });

  test('a torn crash keeps a prefix of the unsynced bytes', async () => {
    const fs = await withWorkspace();
    const handle = await logWithOneSyncedLine(fs);
    await handle.write(Buffer.from('two\nthree\n'), 4);
    fs.crash({ torn: true, random: () => 0.5 });
    expect(text(await fs.readFile('/ws/log'))).toBe('one\ntwo\nt');
  });

  test('a power cut can keep any subset of the pages of unsynced bytes, the rest zeros', async () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const fs = await withWorkspace();
      const handle = await logWithOneSyncedLine(fs);
      const data = Buffer.alloc(3 * 4096 + 100, 0x61);
      await handle.write(data, 4);
      let state = seed + 1;
      const random = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      const kept = fs.crash({ pages: true, random }).get('/ws/log');
      const after = Buffer.from((await fs.readFile('/ws/log'))!);
      // The synced line is always there; every other byte is the written one, or a zero exactly
      // in the reported holes.
      expect(after.length).toBeLessThanOrEqual(4 + data.length);
      if (!kept) {
        expect(after.toString()).toBe('one\n');
        continue;
      }
      expect(kept).toMatchObject({ synced: 4, length: after.length });
      const expected = Buffer.concat([Buffer.from('one\n'), data]).subarray(0, after.length);
      for (const [from, to] of kept.holes) expected.fill(0, from, to);
      expect(after.equals(expected)).toBe(true);
      for (const [, to] of kept.holes) expect(to % 4096 === 0 || to === after.length).toBe(true);
      const lastHole = kept.holes.at(-1);
      if (lastHole && lastHole[1] < after.length) seen.add('hole then data');
      if (kept.holes.length === 0 && after.length === 4 + data.length) seen.add('all of it');
      if (after.length < 4 + data.length) seen.add('shorter');
    }
    expect([...seen].sort()).toEqual(['all of it', 'hole then data', 'shorter']);
  });

  test('an unsynced rename is undone; names can also survive as seen', async () => {
    const fs = await withWorkspace();
    await fileWith(fs, '/ws/a', 'A', true);
    await fs.syncDir('/ws');
    await fs.rename('/ws/a', '/ws/b');
    fs.crash();
    expect(await fs.readdir('/ws')).toEqual(['a']);
    await fs.rename('/ws/a', '/ws/b');
    fs.crash({ names: 'volatile' });
    expect(await fs.readdir('/ws')).toEqual(['b']);
  });

  test('handles keep reading a renamed or unlinked file', async () => {
    const fs = new CrashFs();
    await fs.mkdir('/ws');
    await fileWith(fs, '/ws/a', 'data', false);
    const handle = await fs.open('/ws/a', 'r');
    await fs.unlink('/ws/a');
    const buf = Buffer.alloc(4);
    expect(await handle.read(buf, 0, 4, 0)).toBe(4);
    expect(buf.toString()).toBe('data');
  });

  test('freezeAfter fails every mutating call from the n-th on, until a crash', async () => {
    const fs = await withWorkspace();
    fs.freezeAfter(1);
    await fileWith(fs, '/ws/a', 'x', false).catch(() => {});
    await expect(fs.syncDir('/ws')).rejects.toMatchObject({ code: CRASHED });
    expect(fs.frozen).toBe(true);
    fs.crash();
    expect(fs.frozen).toBe(false);
    await fs.syncDir('/ws');
  });

  test('handles from before a crash stop working', async () => {
    const fs = new CrashFs();
    await fs.mkdir('/ws');
    const handle = await fs.open('/ws/a', 'w');
    fs.crash();
    await expect(handle.write(Buffer.from('x'), 0)).rejects.toMatchObject({ code: 'EBADF' });
  });
});
