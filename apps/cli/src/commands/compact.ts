/**
 * `lenslet compact [dir]`: rotate the live log into a gzip archive and write a snapshot. When a
 * server holds the workspace, ask it (its local-only `POST /admin/compact`, authenticated with
 * the admin token from the lock file); otherwise open the workspace, compact, close.
 * `--repair` salvages a damaged log instead (see packages/store/src/workspace/repair.ts).
 * With `--store <url>` (or LENSLET_STORE) the log is the one in PostgreSQL: a snapshot of the
 * head is saved there (replicas then start from it) and idempotency keys past the horizon are
 * forgotten; records are never deleted. Safe while replicas run.
 */
import { isErrorBody, LensletError } from '@lenslet/core';
import { openPostgresStore } from '@lenslet/postgres';
import {
  type CompactionReport,
  type LockInfo,
  nodeFs,
  openJsonlStore,
  openWorkspaceReader,
  readLock,
  repairWorkspace,
  systemProbe,
  verifyWorkspace,
  WorkspaceLock,
} from '@lenslet/store';
import { z } from 'zod';
import { HELP } from '../help.ts';
import {
  formatBytes,
  parseArgv,
  parseFlagValues,
  resolveWorkspace,
  snapshotWorker,
} from '../workspace.ts';
import type { CommandContext } from './command.ts';

const flagsSchema = z.strictObject({
  repair: z.boolean().default(false),
  store: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//i, '--store must be a postgres:// URL')
    .optional(),
  help: z.boolean().default(false),
});

const ADMIN_TIMEOUT_MS = 10 * 60 * 1000;

function parseFlags(argv: readonly string[]) {
  const parsed = parseArgv(
    argv,
    {
      repair: { type: 'boolean' },
      store: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    (first) => `${first}. Try: lenslet compact --help`,
  );
  if (parsed.positionals.length > 1) {
    throw new LensletError('usage', `compact takes one folder, got ${parsed.positionals.length}`);
  }
  return { ...parseFlagValues(flagsSchema, parsed.values), dir: parsed.positionals[0] };
}

function describe(report: CompactionReport, dir: string): string {
  const seqs = report.to_seq === 0 ? 'no records yet' : `seqs ${report.from_seq}–${report.to_seq}`;
  return [
    `compacted ${dir}: ${seqs}`,
    `  log + snapshot: ${formatBytes(report.bytes_before)} before, ${formatBytes(report.bytes_after)} after`,
    report.archive ? `  archive: ${report.archive}` : '  nothing new to archive',
    `  took ${(report.duration_ms / 1000).toFixed(2)} s; writes waited at most ${report.longest_stall_ms.toFixed(1)} ms`,
  ].join('\n');
}

/** Ask the server in `info` to compact; a LensletError naming pid and URL when it cannot. */
async function compactThroughServer(info: LockInfo): Promise<CompactionReport> {
  const busy = `the workspace is held by a running Lenslet (pid ${info.pid} on ${info.host}${info.url ? `, serving ${info.url}` : ''})`;
  if (!info.url || !info.admin_token) {
    throw new LensletError(
      'workspace_locked',
      `${busy}, which does not accept admin requests; stop it, then run lenslet compact again`,
    );
  }
  let response: Response;
  try {
    response = await fetch(new URL('/admin/compact', info.url), {
      method: 'POST',
      headers: { 'x-lenslet-admin-token': info.admin_token },
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LensletError(
      'workspace_locked',
      `${busy}, but it could not be reached (${(error as Error).message}); stop it, then run lenslet compact again`,
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const why = isErrorBody(body) ? body.message : `HTTP ${response.status}`;
    throw new LensletError(
      isErrorBody(body) && body.error === 'compaction_in_progress'
        ? 'compaction_in_progress'
        : 'workspace_locked',
      `${busy}, and it refused to compact: ${why}`,
    );
  }
  return body as CompactionReport;
}

export async function compactCommand(ctx: CommandContext): Promise<number> {
  const flags = parseFlags(ctx.argv);
  if (flags.help) {
    ctx.stdout.write(HELP.compact);
    return 0;
  }
  const warn = (message: string) => ctx.stderr.write(`lenslet compact: warning: ${message}\n`);
  const url = flags.store ?? ctx.env.LENSLET_STORE;
  if (url) {
    if (flags.repair) {
      throw new LensletError(
        'usage',
        '--repair salvages a workspace log; it does not take --store',
      );
    }
    const store = await openPostgresStore(url, { onWarning: warn, snapshot_every_records: 0 });
    try {
      ctx.stdout.write(`${describe(await store.compact(), store.url)}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  const { dir } = resolveWorkspace(flags.dir, process.cwd());
  const fs = nodeFs();
  const probe = systemProbe();
  const lock = await readLock(fs, dir);
  if (lock.kind === 'held' && probe.liveness(lock.info) !== 'dead') {
    if (flags.repair) {
      throw new LensletError(
        'workspace_locked',
        `stop the Lenslet holding ${dir} (pid ${lock.info.pid}${lock.info.url ? `, ${lock.info.url}` : ''}) before repairing it`,
      );
    }
    ctx.stdout.write(`asking the server at ${lock.info.url} (pid ${lock.info.pid}) to compact…\n`);
    ctx.stdout.write(`${describe(await compactThroughServer(lock.info), dir)}\n`);
    return 0;
  }
  if (flags.repair) return repair(ctx, dir, warn);
  const store = await openJsonlStore(dir, { worker: snapshotWorker(), onWarning: warn });
  try {
    const report = await store.compact({ onProgress: (line) => ctx.stdout.write(`${line}\n`) });
    ctx.stdout.write(`${describe(report, dir)}\n`);
  } finally {
    await store.close();
  }
  return 0;
}

async function repair(
  ctx: CommandContext,
  dir: string,
  warn: (message: string) => void,
): Promise<number> {
  const fs = nodeFs();
  const lock = await WorkspaceLock.acquire(fs, dir, systemProbe(), new Date(), warn);
  try {
    const report = await verifyWorkspace(await openWorkspaceReader(dir, { fs }), fs);
    if (report.ok) {
      ctx.stdout.write(
        `${dir} has no problem to repair (seqs ${report.oldest_seq}–${report.head} verified)\n`,
      );
      return 0;
    }
    for (const problem of report.problems) ctx.stdout.write(`found: ${problem}\n`);
    const repaired = await repairWorkspace(fs, dir, new Date());
    const { unacknowledged } = repaired;
    const lines = [
      `repaired ${dir}: kept ${repaired.kept} records (${repaired.renumbered} renumbered), dropped ${repaired.dropped_lines} damaged lines`,
      ...(unacknowledged.bytes > 0
        ? [
            `  left out the interrupted write at the end of the log: ${unacknowledged.bytes} bytes, ${unacknowledged.records} whole records that were never acknowledged`,
          ]
        : []),
      `  the original files are in ${dir}/${repaired.quarantine}/`,
      `  new log id ${repaired.log_id}: open browsers reload their labels`,
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await lock.release();
  }
}
