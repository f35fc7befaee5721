import { describe, expect, test } from 'vitest';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import { LogWriter } from './log-writer.ts';

/** A handle that logs every operation; datasyncs resolve when the test says so. */
class ScriptedHandle implements FsHandle {
  readonly log: string[] = [];
  readonly syncs: { resolve: () => void; reject: (error: Error) => void }[] = [];
  failWrites = false;
  /** The file offset after each write. */
  readonly ends: number[] = [];

  async write(data: Uint8Array, position: number): Promise<void> {
    this.writeNow(data, position);
  }
  writeNow(data: Uint8Array, position: number): void {
    if (this.failWrites) throw Object.assign(new Error('EIO: write'), { code: 'EIO' });
    this.log.push(`write ${records(data)} @${position}`);
    this.ends.push(position + data.length);
  }
  async read(): Promise<number> {
    return 0;
  }
  /** `autoSync`: datasyncs resolve at once (a fresh descriptor after a failure). */
  constructor(readonly autoSync = false) {}

  datasync(): Promise<void> {
    this.log.push('sync');
    if (this.autoSync) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.syncs.push({ resolve, reject });
    });
  }
  async truncate(length: number): Promise<void> {
    this.log.push(`truncate ${length}`);
  }
  async size(): Promise<number> {
    return 0;
  }
  async close(): Promise<void> {}
}

/** The record lines of a group write (the frame line left out). */
function records(data: Uint8Array): string {
  return Buffer.from(data).toString().split('\n').slice(1, -1).join(',');
}

/** An fs whose `open` (the writer's reopen after a failure) hands out `next`. */
function reopensTo(next: ScriptedHandle): FsPort {
  return { open: async () => next } as unknown as FsPort;
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

function writer(handle: ScriptedHandle, fs = reopensTo(new ScriptedHandle(true)), pipeline = true) {
  const committed: string[][] = [];
  const w = new LogWriter<string>(
    fs,
    'log',
    handle,
    0,
    { durability: 'fsync', relaxed_interval_ms: 10, pipeline },
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
  test('without pipeline, a group that forms while another syncs waits for that sync, and is written before its callers are answered', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle, undefined, false);
    const answered: string[] = [];
    void append('a').then(() => answered.push(`a (log: ${handle.log.length})`));
    await turn();
    void append('b').then(() => answered.push('b'));
    await turn();
    expect(handle.log).toEqual(['write a @0', 'sync']);
    handle.syncs[0]!.resolve();
    await turn();
    expect(handle.log.slice(2)).toEqual([expect.stringMatching(/^write b @\d+$/), 'sync']);
    expect(answered).toEqual(['a (log: 4)']);
    handle.syncs[1]!.resolve();
    await turn();
    expect(answered).toEqual(['a (log: 4)', 'b']);
    expect(committed).toEqual([['a'], ['b']]);
  });

  test('a group that forms while another syncs is written at once; a third waits for the oldest sync', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const answered: string[] = [];
    void append('a').then(() => answered.push(`a (log: ${handle.log.length})`));
    await turn();
    expect(handle.log).toEqual(['write a @0', 'sync']);
    // While group 1 syncs, more appends form group 2: written one turn later, both syncs running.
    void append('b').then(() => answered.push('b'));
    void append('c').then(() => answered.push('c'));
    await turn();
    expect(handle.log.slice(2)).toEqual([expect.stringMatching(/^write b,c @\d+$/), 'sync']);
    // Two groups in flight: a third waits for the oldest sync, and is written before a is answered.
    void append('d').then(() => answered.push('d'));
    await turn();
    expect(handle.log).toHaveLength(4);
    handle.syncs[0]!.resolve();
    await turn();
    expect(handle.log.slice(4)).toEqual([expect.stringMatching(/^write d @\d+$/), 'sync']);
    expect(answered).toEqual(['a (log: 6)']);
    expect(committed).toEqual([['a']]);
    handle.syncs[1]!.resolve();
    handle.syncs[2]!.resolve();
    await turn();
    expect(answered).toEqual(['a (log: 6)', 'b', 'c', 'd']);
    expect(committed).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  test('a later group whose sync returns first is answered only after the earlier one', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const answered: string[] = [];
    void append('a').then(() => answered.push('a'));
    await turn();
    void append('b').then(() => answered.push('b'));
    await turn();
    handle.syncs[1]!.resolve();
    await turn();
    expect(answered).toEqual([]);
    expect(committed).toEqual([]);
    handle.syncs[0]!.resolve();
    await turn();
    expect(answered).toEqual(['a', 'b']);
    expect(committed).toEqual([['a'], ['b']]);
  });

  test('64 appends with a slot free are written at once; the rest of the turn forms the next group', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const all = Array.from({ length: 100 }, (_, i) => append(`r${i}`));
    expect(handle.log).toEqual([]);
    await turn();
    expect(handle.log).toHaveLength(4);
    expect(handle.log[0]!.split(' ')[1]!.split(',')).toHaveLength(64);
    expect(handle.log[2]!.split(' ')[1]!.split(',')).toHaveLength(36);
    handle.syncs[0]!.resolve();
    handle.syncs[1]!.resolve();
    await Promise.all(all);
    expect(committed.map((g) => g.length)).toEqual([64, 36]);
    expect(committed.flat()).toEqual(Array.from({ length: 100 }, (_, i) => `r${i}`));
  });

  test('a failed fdatasync rejects its group and the one in flight after it (even if synced) once their bytes are cut off; the queued one at once', async () => {
    const handle = new ScriptedHandle();
    const fresh = new ScriptedHandle();
    const { committed, append } = writer(handle, reopensTo(fresh));
    void append('z');
    await turn();
    handle.syncs[0]!.resolve();
    await turn();
    const durable = handle.ends[0]!;
    handle.log.length = 0;
    handle.syncs.length = 0;
    const settled: string[] = [];
    const first = append('a');
    first.catch(() => settled.push('a'));
    await turn();
    const second = append('b');
    second.catch(() => settled.push('b'));
    await turn();
    const third = append('c');
    third.catch(() => settled.push('c'));
    handle.syncs[1]!.resolve();
    handle.syncs[0]!.reject(Object.assign(new Error('EIO: sync'), { code: 'EIO' }));
    await expect(third).rejects.toMatchObject({ code: 'persistence_unavailable' });
    // a and b were written: the file is cut back to before a (a fresh descriptor) first.
    await turn();
    expect(fresh.log).toEqual([`truncate ${durable}`, 'sync']);
    expect(settled).toEqual(['c']);
    fresh.syncs[0]!.resolve();
    await expect(first).rejects.toMatchObject({ code: 'persistence_unavailable' });
    await expect(second).rejects.toMatchObject({ code: 'persistence_unavailable' });
    expect(settled).toEqual(['c', 'a', 'b']);
    expect(committed).toEqual([['z']]);
    expect(handle.log).toEqual([
      `write a @${durable}`,
      'sync',
      expect.stringMatching(/^write b @/),
      'sync',
    ]);
    // The next write goes through the fresh descriptor, where a was.
    void append('d');
    await turn();
    expect(fresh.log.slice(2)).toEqual([`write d @${durable}`, 'sync']);
  });

  test('while the file cannot be cut back, the failed group waits; it is answered once the cut succeeds', async () => {
    const handle = new ScriptedHandle();
    let opens = 0;
    const fresh = new ScriptedHandle(true);
    const fs = {
      open: async () => {
        opens += 1;
        if (opens === 1) throw Object.assign(new Error('EIO: open'), { code: 'EIO' });
        return fresh;
      },
    } as unknown as FsPort;
    const { append } = writer(handle, fs);
    let settled = false;
    const first = append('a');
    first.catch(() => {
      settled = true;
    });
    await turn();
    handle.syncs[0]!.reject(Object.assign(new Error('EIO: sync'), { code: 'EIO' }));
    await turn();
    await turn();
    expect(opens).toBe(1);
    expect(settled).toBe(false);
    // The repair is retried on the timer (relaxed_interval_ms: 10).
    await expect(first).rejects.toMatchObject({ code: 'persistence_unavailable' });
    expect(opens).toBe(2);
    expect(fresh.log).toEqual(['truncate 0', 'sync']);
  });

  test('when writing the next group fails, the group in flight is still answered and the next one rejected', async () => {
    const handle = new ScriptedHandle();
    const { committed, append } = writer(handle);
    const first = append('a');
    await turn();
    handle.failWrites = true;
    const second = append('b');
    await turn();
    handle.syncs[0]!.resolve();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toMatchObject({ code: 'persistence_unavailable' });
    expect(committed).toEqual([['a']]);
  });

  test('exclusive runs after the groups in flight and before the group queued behind it', async () => {
    const handle = new ScriptedHandle();
    const { w, append } = writer(handle);
    void append('a');
    await turn();
    void append('b');
    await turn();
    void append('c');
    const order: string[] = [];
    const locked = w.exclusive(async () => {
      order.push(`exclusive after ${handle.log.length} ops`);
    });
    handle.syncs[0]!.resolve();
    await turn();
    expect(order).toEqual([]);
    handle.syncs[1]!.resolve();
    await locked;
    expect(order).toEqual(['exclusive after 4 ops']);
    await turn();
    expect(handle.log.slice(4)).toEqual([expect.stringMatching(/^write c @\d+$/), 'sync']);
    handle.syncs[2]!.resolve();
  });
});
