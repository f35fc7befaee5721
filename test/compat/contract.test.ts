/**
 * The original Lenslet's API contract, replayed: every recorded pair (test/fixtures/original-api)
 * is sent to a real `lenslet serve` on a copy of the original's fixture, in recording order, and
 * Lenslet's status and every field the original's client reads are compared (reads.ts,
 * expectations.ts). Differences not fixed yet are listed, exactly, in known-gaps.json: a pair
 * passes when its differences equal its entry, so fixing a gap fails the test until the entry is
 * removed. `COMPAT_UPDATE_GAPS=1 npx vitest run test/compat` rewrites the file from this run.
 * Table-mode replays wait for table mode (issue 10); docs/compat-gaps.md explains every gap.
 */
import { ensureBuilt } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Mismatch, mismatchKey } from './compare.ts';
import { specFor } from './expectations.ts';
import { readGaps, writeGaps } from './known-gaps.ts';
import { loadPairs } from './recordings.ts';
import { Replay } from './replay.ts';
import { startTarget, type Target, type TargetServer } from './servers.ts';

/** Flip when `lenslet serve <file>.parquet` exists (issue 10). */
const TABLE_MODE_READY = false;

const KNOWN_GAPS = readGaps();
const UPDATE = process.env.COMPAT_UPDATE_GAPS === '1';
const seen = new Map<string, string[]>();

const pairs = loadPairs();
const gapKey = (target: Target, title: string) => `${target} · ${title}`;

const describeTarget = (target: Target) => {
  const applicable = pairs.filter((p) => specFor(p).targets.includes(target));
  let server: TargetServer;
  let replay: Replay;
  beforeAll(async () => {
    await ensureBuilt();
    server = await startTarget(target);
    replay = new Replay(server);
    replay.start();
  }, 120_000);
  afterAll(async () => {
    replay?.stop();
    await server?.stop();
  });
  for (const pair of applicable) {
    const key = gapKey(target, pair.title);
    test(`${pair.group}: ${pair.title}`, async () => {
      const mismatches: Mismatch[] = await replay.run(pair);
      const keys = [...new Set(mismatches.map(mismatchKey))].sort();
      seen.set(key, keys);
      if (UPDATE) return;
      const known = KNOWN_GAPS[key] ?? [];
      expect(
        keys,
        known.length === 0
          ? `differs from the original:\n${JSON.stringify(mismatches, null, 1)}`
          : `known gaps changed (fixed? update known-gaps.json):\n${JSON.stringify(mismatches, null, 1)}`,
      ).toEqual(known);
    });
  }
};

describe('the original recording replayed on a folder (folder-mode pairs)', () => {
  describeTarget('folder');
});

describe('the original recording replayed on a folder laid out like its table (table-mode pairs that need no table columns)', () => {
  describeTarget('portable');
});

describe('the original recording replayed on its Parquet table', () => {
  if (TABLE_MODE_READY) describeTarget('table');
  else {
    for (const pair of pairs.filter((p) => specFor(p).targets.includes('table'))) {
      test.todo(`${pair.group}: ${pair.title} (table mode: issue 10)`);
    }
  }
});

describe('known-gaps.json', () => {
  test('lists only pairs that exist and were replayed', () => {
    const replayable = new Set(
      pairs.flatMap((p) =>
        specFor(p)
          .targets.filter((t) => t !== 'table' || TABLE_MODE_READY)
          .map((t) => gapKey(t, p.title)),
      ),
    );
    expect(Object.keys(KNOWN_GAPS).filter((k) => !replayable.has(k))).toEqual([]);
  });
});

afterAll(() => {
  if (UPDATE) writeGaps(Object.fromEntries(seen));
});
