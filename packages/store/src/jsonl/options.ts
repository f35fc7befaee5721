/** Options of the JSONL store and their defaults (documented in docs/format.md). */
import type { WorkerOption } from '../background/runner.ts';
import type { FsPort } from '../port/fs-port.ts';
import { nodeFs } from '../port/node-fs.ts';
import type { ProcessProbe } from '../workspace/process-identity.ts';

/** Live log size past which the store compacts by itself. */
export const DEFAULT_COMPACT_ABOVE_BYTES = 256 * 1024 * 1024;
/** Records between periodic snapshots. */
export const DEFAULT_SNAPSHOT_EVERY_RECORDS = 100_000;
/** Longest a relaxed-mode write waits for its fdatasync. */
export const DEFAULT_RELAXED_INTERVAL_MS = 200;
/** Newest records kept in memory for fast `replay` (SSE resume). */
export const DEFAULT_RING_RECORDS = 10_000;

export type JsonlStoreOptions = {
  /** 'fsync' (default): a write resolves after fdatasync. 'relaxed': after write(). */
  readonly durability?: 'fsync' | 'relaxed';
  readonly relaxed_interval_ms?: number;
  readonly clock?: () => Date;
  /** The filesystem (default: the real one); tests pass the crash double or a fault wrapper. */
  readonly fs?: FsPort;
  readonly snapshot_every_records?: number;
  /** Compact automatically once the live log passes this size; 0 turns it off. */
  readonly compact_above_bytes?: number;
  /** Where snapshots, archives and index scans run; null runs them on the main thread. */
  readonly worker?: WorkerOption | null;
  readonly ring_records?: number;
  /** Recovery, lock takeover and background-task warnings (default: stderr). */
  readonly onWarning?: (message: string) => void;
  /** Take `.lenslet/lock` (default true). */
  readonly lock?: boolean;
  /** How the lock checks whether a holder is alive (tests fake it). */
  readonly probe?: ProcessProbe;
  /** Import an original (Python) Lenslet workspace found in the directory (default true). */
  readonly import_legacy?: boolean;
  /** Check the history the snapshot covers in the background after opening (default true). */
  readonly history_check?: boolean;
  /** Group commit: write a second group while another syncs (default false; WriterOptions). */
  readonly pipeline?: boolean;
};

export type ResolvedOptions = Required<Omit<JsonlStoreOptions, 'probe' | 'worker'>> & {
  readonly probe: ProcessProbe | undefined;
  readonly worker: WorkerOption | null;
};

export function resolveOptions(options: JsonlStoreOptions): ResolvedOptions {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as JsonlStoreOptions;
  return {
    durability: 'fsync',
    relaxed_interval_ms: DEFAULT_RELAXED_INTERVAL_MS,
    clock: () => new Date(),
    snapshot_every_records: DEFAULT_SNAPSHOT_EVERY_RECORDS,
    compact_above_bytes: DEFAULT_COMPACT_ABOVE_BYTES,
    ring_records: DEFAULT_RING_RECORDS,
    onWarning: (message: string) => process.stderr.write(`lenslet: warning: ${message}\n`),
    lock: true,
    import_legacy: true,
    history_check: true,
    pipeline: false,
    ...given,
    fs: given.fs ?? nodeFs(),
    probe: options.probe,
    worker: options.worker ?? null,
  } satisfies ResolvedOptions;
}
