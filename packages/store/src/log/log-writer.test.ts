import { describe, expect, test } from 'vitest';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import { LogWriter } from './log-writer.ts';

/** A handle that logs every operation; datasyncs resolve when the test says so. */
class ScriptedHandle implements FsHandle {
  readonly log: string[] = [];
  readonly syncs: { resolve: () => void; reject: (error: Error) => void }[] = [];
  failWrites = false;
  #syncing = 0;
  /** Writes that happened while a datasync was still running. */
  writesDuringSync = 0;

  async write(data: Uint8Array, position: number): Promise<void> {
    this.writeNow(data, position);
  }
  writeNow(data: Uint8Array, position: number): void {
    if (this.failWrites) throw Object.assign(new Error('EIO: write'), { code: 'EIO' });
    if (this.#syncing > 0) this.writesDuringSync += 1;
    this.log.push(`write ${records(data)} @${position}`);
  }
  async read(): Promise<number> {
    return 0;
  }
  datasync(): Promise<void> {
    this.#syncing += 1;
    this.log.push('sync');
    return new Promise<void>((resolve, reject) => {
      this.syncs.push({ resolve, reject });
    }).finally(() => {
      this.#syncing -= 1;
    });
  }
  async truncate(): Promise<void> {}
  async size(): Promise<number> {
    return 0;
  }
  async close(): Promise<void> {}
}

/** The record lines of a group write (the frame line left out). */
function records(data: Uint8Array): string {
  return Buffer.from(data).toString().split('\n').slice(1, -1).join(',');
}

const fs = {} as FsPort;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function writer(handle: ScriptedHandle) {
  const committed: string[][] = [];
  const w = new LogWriter<string>(
    fs,
    'log',
    handle,
    0,
    { durability: 'fsync', relaxed_interval_ms: 10 },
    {
      encode: (name, into) => into.line(`${name}\n`),
      committed: (payloads) => committed.push([...payloads]),
      failed: () => {},
      synced: () => {},
    },
  );
  const append = (name: string) => w.append(name);
  return { w, committed, append };
}

describe('LogWriter group commit', () => {
  test('the next group is written once the previous fdatasync returned, before its callers are answered', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const answered: string[] = [];
    void append('a').then(() => answered.push(`a (log: ${handle.log.length})`));
    await turn();
    expect(handle.log).toEqual(['write a @0', 'sync']);
    // While group 1 syncs, more appends form group 2: nothing is written yet.
    void append('b').then(() => answered.push('b'));
    void append('c').then(() => answered.push('c'));
    await turn();
    expect(handle.log).toEqual(['write a @0', 'sync']);
    handle.syncs[0]!.resolve();
    await turn();
    // Group 2 was written and its sync started before a's caller ran.
    expect(handle.log.slice(2)).toEqual([expect.stringMatching(/^write b,c @\d+$/), 'sync']);
    expect(answered).toEqual(['a (log: 4)']);
    expect(committed).toEqual([['a']]);
    handle.syncs[1]!.resolve();
    await turn();
    expect(answered).toEqual(['a (log: 4)', 'b', 'c']);
    expect(committed).toEqual([['a'], ['b', 'c']]);
    expect(handle.writesDuringSync).toBe(0);
  });

  test('64 appends with nothing in flight are written at once; the rest of the turn forms the next group', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const all = Array.from({ length: 100 }, (_, i) => append(`r${i}`));
    await turn();
    expect(handle.log).toHaveLength(2);
    expect(handle.log[0]!.split(' ')[1]!.split(',')).toHaveLength(64);
    handle.syncs[0]!.resolve();
    await turn();
    handle.syncs[1]!.resolve();
    await Promise.all(all);
    expect(committed.map((g) => g.length)).toEqual([64, 36]);
    expect(committed.flat()).toEqual(Array.from({ length: 100 }, (_, i) => `r${i}`));
    expect(handle.writesDuringSync).toBe(0);
  });

  test('a failed fdatasync rejects its group and the group queued behind it; nothing is written after it', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const first = append('a');
    await turn();
    const second = append('b');
    handle.syncs[0]!.reject(Object.assign(new Error('EIO: sync'), { code: 'EIO' }));
    await expect(first).rejects.toMatchObject({ code: 'persistence_unavailable' });
    await expect(second).rejects.toMatchObject({ code: 'persistence_unavailable' });
    expect(committed).toEqual([]);
    expect(handle.log).toEqual(['write a @0', 'sync']);
  });

  test('when writing the next group fails, the durable group is still answered and the next one rejected', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const first = append('a');
    await turn();
    const second = append('b');
    handle.failWrites = true;
    handle.syncs[0]!.resolve();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toMatchObject({ code: 'persistence_unavailable' });
    expect(committed).toEqual([['a']]);
  });

  test('exclusive runs after the group in flight and before the group queued behind it', async () => {
    const handle = new ScriptedHandle();
    const { w, append } = writer(handle);
    void append('a');
    await turn();
    void append('b');
    const order: string[] = [];
    const locked = w.exclusive(async () => {
      order.push(`exclusive after ${handle.log.length} ops`);
    });
    handle.syncs[0]!.resolve();
    await locked;
    expect(order).toEqual(['exclusive after 2 ops']);
    await turn();
    expect(handle.log.slice(2)).toEqual([expect.stringMatching(/^write b @\d+$/), 'sync']);
    handle.syncs[1]!.resolve();
  });
});
