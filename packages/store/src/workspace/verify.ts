/**
 * `lenslet replay --verify`: re-project the whole log from seq 1 and check it against everything
 * derived from it — every crc and seq (the fold refuses a bad line or a gap), record times never
 * going back, the snapshot (its items and idempotency keys equal the fold at its seq), each
 * archive's index (offsets and path hashes), and the state a server would recover (snapshot +
 * tail) equal to the full fold. Reads only; changes nothing.
 */
import {
  type CanonicalPath,
  isLabeled,
  isLensletError,
  type LabelRecord,
  type Labels,
} from '@lenslet/core';
import { pathHash } from '../index/history-index.ts';
import { readArchiveIndex } from '../log/log-source.ts';
import type { FsPort } from '../port/fs-port.ts';
import { loadSnapshot } from '../snapshot/snapshot-reader.ts';
import { SNAPSHOT_FILE } from './layout.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export type VerifyReport = {
  readonly ok: boolean;
  readonly head: number;
  readonly oldest_seq: number;
  readonly items: number;
  readonly labeled: number;
  readonly snapshot_seq: number | null;
  readonly files: readonly string[];
  /** What was checked and found right, one line each. */
  readonly checks: readonly string[];
  /** Every mismatch, one precise line each. */
  readonly problems: readonly string[];
};

const MAX_LISTED = 5;

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.star === b.star &&
    a.notes === b.notes &&
    a.version === b.version &&
    a.updated_at === b.updated_at &&
    a.updated_by === b.updated_by &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    JSON.stringify(Object.entries(a.metrics).sort()) ===
      JSON.stringify(Object.entries(b.metrics).sort()) &&
    a.field_versions.star === b.field_versions.star &&
    a.field_versions.notes === b.field_versions.notes &&
    a.field_versions.tags === b.field_versions.tags
  );
}

/** Paths whose labels differ between two states (at most a few, for the message). */
function differences(
  a: ReadonlyMap<CanonicalPath, Labels>,
  b: ReadonlyMap<CanonicalPath, Labels>,
): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  const found: string[] = [];
  for (const path of paths) {
    if (!sameLabels(a.get(path), b.get(path))) found.push(path);
  }
  return found;
}

function describe(found: string[]): string {
  const listed = found.slice(0, MAX_LISTED).join(', ');
  return found.length > MAX_LISTED ? `${listed} and ${found.length - MAX_LISTED} more` : listed;
}

/** Verify, on one consistent set of log files (again when a compaction moved files under it). */
export function verifyWorkspace(reader: WorkspaceReader, fs: FsPort): Promise<VerifyReport> {
  return reader.consistent(() => verifyOnce(reader, fs));
}

async function verifyOnce(reader: WorkspaceReader, fs: FsPort): Promise<VerifyReport> {
  const problems: string[] = [];
  const checks: string[] = [];
  const offsets: number[] = [];
  const hashes: number[] = [];
  const bySeq = new Map<number, LabelRecord>();
  const snapshot = await loadSnapshot(fs, `${reader.dir}/${SNAPSHOT_FILE}`);
  const keySeqs = new Set(
    snapshot?.ok ? snapshot.value.idempotency.entries().map((e) => e.seq) : [],
  );
  let previous: LabelRecord | null = null;
  let full: Awaited<ReturnType<WorkspaceReader['foldAll']>>;
  try {
    full = await reader.foldAll(({ records, offsets: at }) => {
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        if (previous && record.at < previous.at) {
          problems.push(
            `seq ${record.seq} is dated ${record.at}, earlier than seq ${previous.seq} (${previous.at})`,
          );
        }
        previous = record;
        offsets[record.seq] = at[i]!;
        hashes[record.seq] = pathHash(record.path);
        if (keySeqs.has(record.seq)) bySeq.set(record.seq, record);
      }
    });
  } catch (error) {
    if (!isLensletError(error)) throw error;
    return {
      ok: false,
      head: 0,
      oldest_seq: 0,
      items: 0,
      labeled: 0,
      snapshot_seq: null,
      files: [],
      checks,
      problems: [error.message],
    };
  }
  const head = full.state.seq;
  const files = [...full.history.map((f) => f.name), full.live.name];
  checks.push(
    `seqs ${full.oldestSeq}–${head}: every crc checks out, no seq is missing or repeated`,
  );

  for (const file of full.history) {
    if (file.kind !== 'archive') continue;
    const index = await readArchiveIndex(fs, reader.dir, file);
    if (!index) {
      problems.push(
        `${file.index_name} is missing or damaged (the server rebuilds it when it opens the workspace)`,
      );
      continue;
    }
    const wrong: number[] = [];
    for (let seq = file.from; seq <= file.to; seq++) {
      const i = seq - file.from;
      if (index.offsets[i] !== offsets[seq] || index.hashes[i] !== hashes[seq]) wrong.push(seq);
    }
    if (wrong.length > 0) {
      problems.push(
        `${file.index_name} points to the wrong place for seqs ${describe(wrong.map(String))}`,
      );
    } else checks.push(`${file.index_name} matches its archive`);
  }

  let snapshotSeq: number | null = null;
  if (snapshot && !snapshot.ok)
    problems.push(`${SNAPSHOT_FILE} is unreadable: ${snapshot.problem}`);
  if (snapshot?.ok) {
    const { header, items } = snapshot.value;
    const idempotency = snapshot.value.idempotency.entries();
    snapshotSeq = header.seq;
    if (header.log_id !== full.meta.log_id && full.meta.format !== 'none') {
      problems.push(
        `${SNAPSHOT_FILE} belongs to log ${header.log_id}, but this log is ${full.meta.log_id}`,
      );
    }
    if (header.seq > head) {
      problems.push(
        `${SNAPSHOT_FILE} is at seq ${header.seq}, beyond the end of the log (seq ${head})`,
      );
    } else {
      const atSnapshot = await reader.foldAll(undefined, { seq: header.seq });
      const diff = differences(items, atSnapshot.state.items);
      if (diff.length > 0) {
        problems.push(
          `${SNAPSHOT_FILE} (seq ${header.seq}) disagrees with the log folded to seq ${header.seq} on ${describe(diff)}`,
        );
      } else
        checks.push(
          `${SNAPSHOT_FILE} (seq ${header.seq}, ${items.size} items) equals the log folded to that seq`,
        );
      const badKeys = idempotency.filter((e) => {
        const record = bySeq.get(e.seq);
        return (
          !record || record.mutation_id !== e.key || record.path !== e.path || record.fp !== e.fp
        );
      });
      if (badKeys.length > 0) {
        problems.push(
          `${SNAPSHOT_FILE} remembers idempotency keys that no record carries: ${describe(badKeys.map((e) => `${e.key} (seq ${e.seq})`))}`,
        );
      } else
        checks.push(`${idempotency.length} idempotency keys in the snapshot match their records`);
    }
  }
  try {
    // Up to the head the full fold reached: a running server may have appended since.
    const server = await reader.recoverAsServer(head);
    const diff = differences(server.state.items, full.state.items);
    if (server.state.seq !== head) {
      problems.push(
        `recovering from the snapshot reaches seq ${server.state.seq}, the full log seq ${head}`,
      );
    } else if (diff.length > 0) {
      problems.push(
        `recovering from the snapshot gives other labels than the full log for ${describe(diff)}`,
      );
    } else checks.push(`the state a server recovers (snapshot + tail) equals the full fold`);
  } catch (error) {
    if (!isLensletError(error)) throw error;
    problems.push(`a server could not open this workspace: ${error.message}`);
  }

  let labeled = 0;
  for (const labels of full.state.items.values()) if (isLabeled(labels)) labeled += 1;
  return {
    ok: problems.length === 0,
    head,
    oldest_seq: full.oldestSeq,
    items: full.state.items.size,
    labeled,
    snapshot_seq: snapshotSeq,
    files,
    checks,
    problems,
  };
}
