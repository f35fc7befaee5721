/**
 * `lenslet replay --store <url> …`: what `lenslet replay` prints for a workspace, for the label
 * log in PostgreSQL — the labels as of a seq or a time (`--until`), one image's history
 * (`--path`), or a check of the whole log (`--verify`). Reads only; safe while replicas run.
 * The positional folder, when given, is the image folder (for csv's `present` column).
 */
import { resolve } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { openPostgresStore, redactUrl } from '@lenslet/postgres';
import type { ReplayTarget } from '@lenslet/store';
import type { CommandContext } from './command.ts';
import { printState, printVerified } from './replay-output.ts';

export type DatabaseReplayFlags = {
  readonly until?: ReplayTarget | undefined;
  readonly format: 'json' | 'csv';
  readonly path: CanonicalPath | null;
  readonly verify: boolean;
  readonly dir?: string | undefined;
};

const RESTORE_HINT = 'restore the database from a backup (docs/deploy.md)';

export async function replayDatabase(
  ctx: CommandContext,
  url: string,
  flags: DatabaseReplayFlags,
): Promise<number> {
  const store = await openPostgresStore(url, {
    onWarning: (message) => ctx.stderr.write(`lenslet replay: warning: ${message}\n`),
    snapshot_every_records: 0,
  });
  try {
    if (flags.verify) return printVerified(ctx, await store.verify(), redactUrl(url), RESTORE_HINT);
    const target = flags.until ?? {};
    const seq =
      target.seq ?? (target.at !== undefined ? await store.seqAt(target.at) : store.head());
    if (flags.path !== null) {
      const records = await store.history(flags.path, { before: Math.min(seq, store.head()) + 1 });
      for (const record of records.reverse()) ctx.stdout.write(`${JSON.stringify(record)}\n`);
      return 0;
    }
    const state = await store.stateAt(Math.min(seq, store.head()));
    const imageRoot = flags.dir === undefined ? null : resolve(flags.dir);
    printState(ctx, state, target, flags.format, imageRoot);
    return 0;
  } finally {
    await store.close();
  }
}
