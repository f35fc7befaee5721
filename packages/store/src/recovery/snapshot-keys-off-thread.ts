/**
 * A snapshot's idempotency keys read on the worker thread while this thread reads its items (in a
 * warm open, 100,000 keys are about a fifth of the main thread's work): the worker builds the key
 * table with the store's hash seed (snapshot/snapshot-key-section.ts) and the store's empty table
 * takes it over. It is taken only when the worker read exactly the key lines this thread checked
 * (same offset, length, line count and CRC-32; the file's own crc, checked here, covers them).
 * Otherwise — the worker failed, or read something else — the section is read again on this
 * thread; when that does not match either (a key line the general reader refuses), the caller
 * loads the whole snapshot again the ordinary way, which judges the file as it always did.
 */

import type { IdempotencyLookup } from '../index/idempotency.ts';
import { IdempotencyTable } from '../index/idempotency-table.ts';
import type { FsPort } from '../port/fs-port.ts';
import {
  type KeySection,
  type KeysJob,
  type KeysResult,
  readKeySection,
} from '../snapshot/snapshot-key-section.ts';

/** Reads a snapshot's key section elsewhere (the store's background worker). */
export type ReadKeys = (job: KeysJob) => Promise<KeysResult>;

/** Keys being read on another thread (null: read them with the items, as usual). */
export type PendingKeys = {
  readonly table: IdempotencyTable;
  readonly result: Promise<KeysResult | null>;
};

/** Start reading the keys of the snapshot at `path` elsewhere, when `lookup` can take them so. */
export function startKeys(
  readKeys: ReadKeys | undefined,
  lookup: IdempotencyLookup | undefined,
  path: string,
): PendingKeys | null {
  if (!readKeys || !(lookup instanceof IdempotencyTable) || lookup.size !== 0) return null;
  try {
    return { table: lookup, result: readKeys({ path, seed: lookup.seed }).catch(() => null) };
  } catch {
    // The worker could not even be started: the keys are read with the items.
    return null;
  }
}

/** Put the keys into the table when they are the lines `section` describes; false when not. */
export async function adoptKeys(
  fs: FsPort,
  path: string,
  pending: PendingKeys,
  section: KeySection,
): Promise<boolean> {
  const seed = pending.table.seed;
  let result = await pending.result;
  if (!usable(result, section, seed)) {
    result = await readKeySection(fs, { path, seed }).catch(() => null);
  }
  if (!result?.ok || !usable(result, section, seed)) return false;
  pending.table.adopt(result.state);
  return true;
}

/** Made with `seed` from exactly the key lines `section` describes. */
function usable(result: KeysResult | null, section: KeySection, seed: number): boolean {
  return (
    result?.ok === true &&
    result.state.seed === seed &&
    result.offset === section.offset &&
    result.bytes === section.bytes &&
    result.lines === section.lines &&
    result.crc === section.crc
  );
}
