import { describe, expect, test } from 'vitest';
import type { FsPort } from '../port/fs-port.ts';
import type { StoreStatus } from '../port/label-store.ts';
import type { CrashFs } from '../testing/crash-fs.ts';
import { FaultInjector } from '../testing/faults.ts';
import { crashDisk, deadHolders, meta, p, rejection } from '../testing/test-support.ts';
import { openJsonlStore } from './open-jsonl-store.ts';

const DIR = '/ws/.lenslet';

async function setup(durability: 'fsync' | 'relaxed' = 'fsync') {
  const disk = await crashDisk();
  const faults = new FaultInjector();
  const opens: string[] = [];
  const wrapped = faults.wrap(disk);
  const fs: FsPort = {
    ...wrapped,
    open: (path, mode, perm) => {
      opens.push(`${mode} ${path}`);
      return wrapped.open(path, mode, perm);
    },
  };
  const open = () =>
    openJsonlStore(DIR, {
      fs,
      durability,
      relaxed_interval_ms: 5,
      probe: deadHolders,
      onWarning: () => {},
    });
  return { disk, faults, opens, open };
}

const logText = async (disk: CrashFs) =>
  Buffer.from((await disk.readFile(`${DIR}/labels.log.jsonl`)) ?? []).toString();

describe.each(['write', 'datasync'] as const)('a failed %s', (op) => {
  test.each(['ENOSPC', 'EIO'] as const)(
    '%s: 503, nothing kept, seq reused, recovers',
    async (code) => {
      const { disk, faults, open } = await setup();
      const store = await open();
      const statuses: StoreStatus['state'][] = [];
      store.onStatus((s) => statuses.push(s.state));
      await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['first'] } }, meta());
      const before = await logText(disk);

      faults.fail({ op, code, path: 'labels.log.jsonl', times: 1, partial: 0.5 });
      const error = await rejection(
        store.apply({ path: p('/a.jpg'), patch: { add_tags: ['lost'] } }, meta()),
      );
      expect(error.code).toBe('persistence_unavailable');
      expect(error.status).toBe(503);
      expect(error.message).toContain(code);
      expect(store.status()).toMatchObject({ state: 'failing', seq: 1 });
      expect(store.get(p('/a.jpg')).tags).toEqual(['first']);

      const next = await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['kept'] } }, meta());
      expect(next.record?.seq).toBe(2);
      expect(store.status().state).toBe('saved');
      expect(statuses).toEqual(['failing', 'saved']);
      // The rejected bytes are gone: the log is the old content plus exactly the new group (its
      // frame, which says the old content was durable, and the one new line).
      const after = await logText(disk);
      expect(after.startsWith(before)).toBe(true);
      const added = after.slice(before.length).split('\n').filter(Boolean);
      expect(added).toHaveLength(2);
      expect(added[0]).toMatch(
        new RegExp(
          `^\\{"group":${added[1]!.length + 1},"durable":${Buffer.byteLength(before)},"crc":`,
        ),
      );
      expect(JSON.parse(added[1]!)).toMatchObject({ seq: 2, changes: [{ tags: ['kept'] }] });
      expect(after).not.toContain('lost');
      await store.close();
      disk.crash();
      const reopened = await open();
      expect(reopened.head()).toBe(2);
      expect(reopened.get(p('/a.jpg')).tags).toEqual(['first', 'kept']);
      await reopened.close();
    },
  );
});

test('a failed sync rejects its whole group and everything queued behind it', async () => {
  const { faults, open } = await setup();
  const store = await open();
  await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
  faults.fail({ op: 'datasync', code: 'EIO', path: 'labels.log.jsonl', times: 1 });
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      store.apply({ path: p(`/i${i % 4}.jpg`), patch: { add_tags: [`t${i}`] } }, meta()),
    ),
  );
  // The first group failed; later groups may or may not have joined it, but nothing that was
  // queued while it ran can have succeeded on top of records that were dropped.
  const failed = results.filter((r) => r.status === 'rejected');
  expect(failed.length).toBeGreaterThan(0);
  const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.record!.seq] : []));
  expect(seqs).toEqual(seqs.map((_, i) => i + 2));
  expect(store.head()).toBe(1 + seqs.length);
  await store.close();
});

test('the log is reopened after a failure, never synced again through the failed descriptor', async () => {
  const { faults, opens, open } = await setup();
  const store = await open();
  const logOpens = () => opens.filter((o) => o.endsWith('labels.log.jsonl')).length;
  const before = logOpens();
  faults.fail({ op: 'datasync', code: 'EIO', path: 'labels.log.jsonl', times: 1 });
  await rejection(store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta()));
  await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['y'] } }, meta());
  expect(logOpens()).toBe(before + 1);
  await store.close();
});

test('while the disk stays broken every write is refused; it recovers when the disk does', async () => {
  const { faults, open } = await setup();
  const store = await open();
  faults.fail({ op: 'write', code: 'ENOSPC', path: 'labels.log.jsonl' });
  for (let i = 0; i < 3; i++) {
    const error = await rejection(
      store.apply({ path: p('/a.jpg'), patch: { add_tags: [`t${i}`] } }, meta()),
    );
    expect(error.code).toBe('persistence_unavailable');
  }
  expect(store.status()).toMatchObject({ state: 'failing', seq: 0 });
  faults.clear();
  const ok = await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['back'] } }, meta());
  expect(ok.record?.seq).toBe(1);
  expect(store.status().state).toBe('saved');
  await store.close();
});

test('relaxed mode: answers say relaxed; a failed sync rewrites acknowledged bytes through a new descriptor', async () => {
  const { disk, faults, open } = await setup('relaxed');
  const store = await open();
  expect(store.status().state).toBe('relaxed');
  faults.fail({ op: 'datasync', code: 'EIO', path: 'labels.log.jsonl', times: 1 });
  const result = await store.apply({ path: p('/a.jpg'), patch: { add_tags: ['r'] } }, meta());
  expect(result.persistence).toBe('relaxed');
  // Wait for the background sync to fail and the retry to succeed.
  for (let i = 0; i < 100 && faults.injected === 0; i++) await new Promise((r) => setTimeout(r, 5));
  for (let i = 0; i < 100 && store.status().state !== 'relaxed'; i++)
    await new Promise((r) => setTimeout(r, 5));
  expect(store.status().state).toBe('relaxed');
  await new Promise((r) => setTimeout(r, 30));
  disk.crash();
  const reopened = await open();
  expect(reopened.get(p('/a.jpg')).tags).toEqual(['r']);
  await reopened.close();
});
