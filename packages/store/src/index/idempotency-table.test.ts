import type { CanonicalPath } from '@lenslet/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { idempotencyLine } from '../snapshot/snapshot-codec.ts';
import { SnapshotKeys } from '../snapshot/snapshot-keys.ts';
import { HASH, hash64, hash64Bytes, hash64Pair, hashKeyPath, KEY_HASH } from './hash-slots.ts';
import type { IdempotencyEntry, KeyHashes } from './idempotency.ts';
import { IdempotencyTable } from './idempotency-table.ts';

const ascii = (max: number) =>
  fc
    .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max })
    .map((codes) => String.fromCharCode(...codes));

/** Each remembered request, the same key on another path or with another fp, and a new key. */
function requestsAbout(
  remembered: readonly IdempotencyEntry[],
  probe: number,
): [string, IdempotencyEntry['mode'], CanonicalPath, string][] {
  return remembered.flatMap((e) => [
    [e.key, e.mode, e.path, e.fp],
    [e.key, e.mode, `${e.path}x` as CanonicalPath, e.fp],
    [e.key, e.mode, e.path, `${e.fp}x`],
    [`${e.key}-${probe}`, e.mode, e.path, e.fp],
  ]) as [string, IdempotencyEntry['mode'], CanonicalPath, string][];
}

test('hashing ASCII bytes equals hashing the strings they spell', () => {
  fc.assert(
    fc.property(ascii(40), fc.option(ascii(40)), fc.integer(), (first, second, seed) => {
      hash64Pair(first, second, seed);
      const expected = [HASH.hi, HASH.lo];
      const buf = Buffer.from(`${first}|${second ?? ''}`, 'latin1');
      const from2 = second === null ? -1 : first.length + 1;
      hash64Bytes(buf, 0, first.length, from2, buf.length, seed);
      expect([HASH.hi, HASH.lo]).toEqual(expected);
    }),
    { numRuns: 2000 },
  );
});

test('hashKeyPath gives hash64 of the key and hash64Pair of (key, path), reading the key once', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.integer(), (key, path, seed) => {
      hashKeyPath(key, path, seed);
      const got = { ...KEY_HASH };
      hash64(key, seed);
      const keyHash = { keyHi: HASH.hi, keyLo: HASH.lo };
      hash64Pair(key, path, seed);
      expect(got).toEqual({ ...keyHash, hi: HASH.hi, lo: HASH.lo });
    }),
    { numRuns: 2000 },
  );
});

const entries = fc.uniqueArray(
  fc.record({
    key: ascii(12),
    mode: fc.constantFrom('patch' as const, 'put' as const, 'bulk' as const, 'metrics' as const),
    path: ascii(10).map((s) => `/${s.replace(/["\\]/g, '_')}` as CanonicalPath),
    fp: ascii(12),
    at_ms: fc.nat(),
  }),
  { maxLength: 30, selector: (e) => `${e.key}\u0000${e.path}` },
);

test('keys added from snapshot bytes answer every check exactly as keys added as entries', () => {
  fc.assert(
    fc.property(entries, fc.nat(), (list, probe) => {
      const remembered: IdempotencyEntry[] = list.map((e, i) => ({ ...e, seq: i + 1 }));
      const byEntry = new IdempotencyTable();
      for (const e of remembered) byEntry.add(e);
      const keys = new SnapshotKeys();
      for (const e of remembered) {
        const buf = Buffer.from(idempotencyLine(e));
        if (!keys.addLine(buf, 0, buf.length)) keys.addEntry(e);
      }
      const byBytes = new IdempotencyTable();
      keys.addTo(byBytes);
      expect(byBytes.size).toBe(byEntry.size);
      const asked = requestsAbout(remembered, probe);
      for (const request of asked) {
        expect(byBytes.check(...request)).toEqual(byEntry.check(...request));
      }
    }),
    { numRuns: 300 },
  );
});

test('reserving room first changes nothing that a check sees, also past the room reserved', () => {
  const table = new IdempotencyTable();
  table.reserve(5000);
  for (let i = 1; i <= 8000; i++) {
    table.add({
      key: `k${i}`,
      mode: 'patch',
      path: `/p${i}` as CanonicalPath,
      fp: `f${i}`,
      seq: i,
      at_ms: i,
    });
  }
  expect(table.size).toBe(8000);
  expect(table.check('k1234', 'patch', '/p1234' as CanonicalPath, 'f1234')).toEqual({
    kind: 'retry',
    seq: 1234,
  });
  expect(table.check('k1234', 'patch', '/p1234' as CanonicalPath, 'other').kind).toBe('reused');
  expect(table.check('k9999', 'patch', '/p1' as CanonicalPath, 'f1')).toEqual({ kind: 'new' });
  table.prune(Number.MAX_SAFE_INTEGER, 100_000 + 4000);
  expect(table.size).toBe(4000);
  expect(table.check('k4000', 'patch', '/p4000' as CanonicalPath, 'f4000')).toEqual({
    kind: 'new',
  });
  expect(table.check('k7001', 'patch', '/p7001' as CanonicalPath, 'f7001')).toEqual({
    kind: 'retry',
    seq: 7001,
  });
});

test('growing while the remembered records wrap around the end of the ring keeps them in seq order', () => {
  const table = new IdempotencyTable();
  const add = (i: number) =>
    table.add({
      key: `k${i}`,
      mode: 'patch',
      path: `/p${i}` as CanonicalPath,
      fp: `f${i}`,
      seq: i,
      at_ms: 0,
    });
  const isKept = (i: number) =>
    table.check(`k${i}`, 'patch', `/p${i}` as CanonicalPath, `f${i}`).kind === 'retry';
  let next = 1;
  // Fill, forget the oldest (the ring's start moves on), refill past the end (the rows wrap),
  // then keep adding until the ring grows with its rows in two runs.
  for (; next <= 1500; next++) add(next);
  table.prune(Number.MAX_SAFE_INTEGER, 100_000 + 1000);
  expect(table.size).toBe(500);
  for (; next <= 5000; next++) add(next);
  expect(table.size).toBe(4000);
  // Pruning walks the ring in order: it must stop exactly at seq 3001.
  table.prune(Number.MAX_SAFE_INTEGER, 100_000 + 3000);
  expect(table.size).toBe(2000);
  expect([2999, 3000, 3001, 4500, 5000].map(isKept)).toEqual([false, false, true, true, true]);
});

test('adding with the hashes its check left answers every check exactly as adding the entry', () => {
  fc.assert(
    fc.property(entries, fc.nat(), (list, probe) => {
      const remembered: IdempotencyEntry[] = list.map((e, i) => ({ ...e, seq: i + 1 }));
      const plain = new IdempotencyTable();
      const hashed = new IdempotencyTable();
      for (const e of remembered) {
        plain.add(e);
        const hashes: KeyHashes = { keyHi: 0, keyLo: 0, requestHi: 0, requestLo: 0, tag: 0 };
        hashed.check(e.key, e.mode, e.path, e.fp, hashes);
        hashed.add(e, hashes);
      }
      expect(hashed.size).toBe(plain.size);
      const asked = requestsAbout(remembered, probe);
      for (const request of asked)
        expect(hashed.check(...request)).toEqual(plain.check(...request));
      hashed.prune(Number.MAX_SAFE_INTEGER, 100_000 + Math.floor(remembered.length / 2));
      plain.prune(Number.MAX_SAFE_INTEGER, 100_000 + Math.floor(remembered.length / 2));
      for (const request of asked)
        expect(hashed.check(...request)).toEqual(plain.check(...request));
    }),
    { numRuns: 300 },
  );
});
