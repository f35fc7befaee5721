/**
 * Crash simulation: a store writes under concurrent load (with frequent snapshots and automatic
 * compactions) on the crash double, the "process" dies after a random number of disk calls, the
 * disk loses everything that was not fsynced (sometimes keeping a torn prefix, sometimes keeping
 * unsynced directory changes), and a new store opens the same disk. Every acknowledged record
 * must be there, byte for byte, and the recovered state must equal a fold of the whole log.
 */
import type { CanonicalPath, LabelRecord, Labels, Patch } from '@lenslet/core';
import { expect, test } from 'vitest';
import { encodeRecord } from '../log/jsonl-codec.ts';
import type { WriteMeta } from '../port/label-store.ts';
import type { CrashFs } from '../testing/crash-fs.ts';
import { crashDisk, deadHolders, p } from '../testing/test-support.ts';
import { openJsonlStore } from './open-jsonl-store.ts';

const ROUNDS = Number(process.env.LENSLET_CRASH_ROUNDS ?? 1000);
const DIR = '/ws/.lenslet';
const PATHS = ['/a.jpg', '/b.jpg', '/c/d.jpg', '/e f.jpg', '/ü.jpg'].map(p);

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Acked = {
  record: LabelRecord;
  meta: WriteMeta;
  entry: { path: CanonicalPath; patch: Patch; expected_version?: number };
};

function open(disk: CrashFs, random: () => number) {
  return openJsonlStore(DIR, {
    fs: disk.session(),
    probe: deadHolders,
    snapshot_every_records: 1 + Math.floor(random() * 12),
    compact_above_bytes: 600 + Math.floor(random() * 3000),
    ring_records: Math.floor(random() * 4),
    onWarning: () => {},
  });
}

async function workload(
  store: Awaited<ReturnType<typeof openJsonlStore>>,
  disk: CrashFs,
  random: () => number,
  acked: Acked[],
  round: number,
) {
  let n = 0;
  while (!disk.frozen && n < 400) {
    const pick = random();
    if (pick < 0.04) {
      await store.compact().catch(() => {});
      continue;
    }
    if (pick < 0.08) {
      await store.snapshot().catch(() => {});
      continue;
    }
    const writes = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      n += 1;
      const path = PATHS[Math.floor(random() * PATHS.length)]!;
      const kind = random();
      const entry =
        kind < 0.5
          ? { path, patch: { add_tags: [`t${Math.floor(random() * 8)}`] } }
          : kind < 0.7
            ? { path, patch: { remove_tags: [`t${Math.floor(random() * 8)}`] } }
            : kind < 0.85
              ? {
                  path,
                  patch: { set_star: Math.floor(random() * 6) },
                  expected_version: store.get(path).version,
                }
              : { path, patch: { set_metrics: { score: Math.round(random() * 100) / 10 } } };
      const meta: WriteMeta = {
        actor: random() < 0.5 ? 'ana' : 'Zoë',
        mutation_id: `r${round}-k${n}`,
        mode: kind >= 0.85 ? 'metrics' : 'patch',
      };
      return store.apply(entry, meta).then((result) => {
        if (result.record) acked.push({ record: result.record, meta, entry });
      });
    });
    await Promise.race([Promise.allSettled(writes), disk.died]);
  }
}

test(`every acknowledged record survives ${ROUNDS} random crashes`, async () => {
  const seed = Number(process.env.LENSLET_CRASH_SEED ?? 20261125);
  const stats = { rounds: 0, torn: 0, volatileNames: 0, acked: 0 };
  const diedDuring = { append: 0, snapshot: 0, rotation: 0, archive: 0, other: 0, never: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const random = prng(seed + round);
    const disk = await crashDisk();
    const acked: Acked[] = [];
    // Some history before the crash window, so crashes also hit later snapshots and rotations.
    const store = await open(disk, random);
    disk.freezeAfter(1 + Math.floor(random() * 160));
    await workload(store, disk, random, acked, round);
    const what = disk.diedDuring ?? '';
    if (disk.diedDuring === null) diedDuring.never += 1;
    else if (/snapshot/.test(what)) diedDuring.snapshot += 1;
    else if (/^(rename|create) .*labels\.log\.jsonl$/.test(what)) diedDuring.rotation += 1;
    else if (/archive|labels\.\d{12}/.test(what)) diedDuring.archive += 1;
    else if (/^(write|datasync) .*labels\.log\.jsonl$/.test(what)) diedDuring.append += 1;
    else diedDuring.other += 1;
    const torn = random() < 0.5;
    const names = random() < 0.3 ? 'volatile' : 'durable';
    disk.crash({ torn, names, random });
    stats.rounds += 1;
    stats.torn += torn ? 1 : 0;
    stats.volatileNames += names === 'volatile' ? 1 : 0;
    stats.acked += acked.length;
    const context = `seed ${seed + round} (round ${round}, torn ${torn}, names ${names})`;

    const reopened = await open(disk, random).catch((error) => {
      throw new Error(`${context}: reopen failed: ${error.message}`);
    });
    const maxAcked = Math.max(0, ...acked.map((a) => a.record.seq));
    expect(reopened.head(), context).toBeGreaterThanOrEqual(maxAcked);
    // Replay from seq 0 folds the whole log independently of the snapshot recovery used.
    const bySeq = new Map<number, LabelRecord>();
    const last = new Map<CanonicalPath, Labels>();
    for await (const { record, labels } of reopened.replay(0)) {
      bySeq.set(record.seq, record);
      last.set(record.path, labels);
    }
    expect(bySeq.size, context).toBe(reopened.head());
    for (const { record } of acked) {
      const found = bySeq.get(record.seq);
      expect(found && encodeRecord(found), `${context}: seq ${record.seq}`).toBe(
        encodeRecord(record),
      );
    }
    expect(new Map(reopened.items()), context).toEqual(last);
    // Retrying an acknowledged key answers the original record, even across the crash.
    const retry = acked[Math.floor(random() * acked.length)];
    if (retry) {
      const again = await reopened.apply(retry.entry, retry.meta).catch((error) => {
        throw new Error(`${context}: retry failed: ${error.message}`);
      });
      expect(again.replayed, context).toBe(true);
      expect(again.seq, context).toBe(retry.record.seq);
    }
    // The store keeps working after recovery.
    const next = await reopened.apply(
      { path: p('/after.jpg'), patch: { add_tags: ['ok'] } },
      {
        actor: 'ana',
        mutation_id: `r${round}-after`,
        mode: 'patch',
      },
    );
    expect(next.record?.seq, context).toBe(bySeq.size + 1);
    await reopened.close();
  }
  expect(stats.rounds).toBe(ROUNDS);
  expect(stats.acked).toBeGreaterThan(ROUNDS * 5);
  // The crash points really fall into each phase.
  expect(diedDuring.append).toBeGreaterThan(ROUNDS / 10);
  expect(diedDuring.snapshot).toBeGreaterThan(ROUNDS / 20);
  expect(diedDuring.archive).toBeGreaterThan(ROUNDS / 20);
  expect(diedDuring.rotation).toBeGreaterThan(5);
  console.log('crash simulation', { ...stats, diedDuring });
}, 300_000);
