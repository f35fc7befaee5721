/**
 * `lenslet replay [dir] --until <seq|time>`: the labels as of a point in history, folded from the
 * archives, snapshot and log — without taking the lock or changing anything, so it is safe next
 * to a running server. `--path` prints one image's history; `--verify` checks the whole log.
 * With `--store <url>` (or LENSLET_STORE) the log is the one in PostgreSQL (replay-database.ts),
 * printed the same way (replay-output.ts).
 */
import { assertCanonicalPath, type CanonicalPath, LensletError } from '@lenslet/core';
import { nodeFs, openWorkspaceReader, type ReplayTarget, verifyWorkspace } from '@lenslet/store';
import { z } from 'zod';
import { HELP } from '../help.ts';
import { parseArgv, parseFlagValues, resolveWorkspace } from '../workspace.ts';
import type { CommandContext } from './command.ts';
import { printState, printVerified } from './replay-output.ts';

const untilSchema = z.string().transform((value, ctx): ReplayTarget => {
  if (/^\d{1,15}$/.test(value)) return { seq: Number(value) };
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isFinite(ms)) return { at: new Date(ms).toISOString() };
  ctx.addIssue({
    code: 'custom',
    message: `--until takes a seq (e.g. 1200) or an ISO time (e.g. 2026-03-01T12:00:00Z), not "${value}"`,
  });
  return z.NEVER;
});

const flagsSchema = z.strictObject({
  until: untilSchema.optional(),
  format: z.enum(['json', 'csv'], { message: '--format is json or csv' }).default('json'),
  path: z.string().optional(),
  verify: z.boolean().default(false),
  store: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//i, '--store must be a postgres:// URL')
    .optional(),
  help: z.boolean().default(false),
});

function parseFlags(argv: readonly string[]) {
  const parsed = parseArgv(
    argv,
    {
      until: { type: 'string' },
      format: { type: 'string' },
      path: { type: 'string' },
      verify: { type: 'boolean' },
      store: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    (first) => `${first}. Try: lenslet replay --help`,
  );
  if (parsed.positionals.length > 1) {
    throw new LensletError(
      'usage',
      `replay takes one folder, got ${parsed.positionals.length}. Try: lenslet replay --help`,
    );
  }
  const flags = parseFlagValues(flagsSchema, parsed.values);
  return { ...flags, dir: parsed.positionals[0] };
}

export async function replayCommand(ctx: CommandContext): Promise<number> {
  const flags = parseFlags(ctx.argv);
  if (flags.help) {
    ctx.stdout.write(HELP.replay);
    return 0;
  }
  const path = flags.path === undefined ? null : pathFlag(flags.path);
  const store = flags.store ?? ctx.env.LENSLET_STORE;
  if (store) {
    const { replayDatabase } = await import('./replay-database.ts');
    return replayDatabase(ctx, store, { ...flags, path });
  }
  const where = resolveWorkspace(flags.dir, process.cwd());
  const reader = await openWorkspaceReader(where.dir, {
    onWarning: (message) => ctx.stderr.write(`lenslet replay: warning: ${message}\n`),
  });
  if (flags.verify) return verify(ctx, reader);
  const target = flags.until ?? {};
  if (path !== null) {
    for (const record of await reader.historyOf(path, target)) {
      ctx.stdout.write(`${JSON.stringify(record)}\n`);
    }
    return 0;
  }
  const state = await reader.stateAt(target);
  printState(ctx, state, target, flags.format, where.imageRoot);
  return 0;
}

/** `--path` as a canonical path; a bad one is a usage error. */
function pathFlag(raw: string): CanonicalPath {
  try {
    return assertCanonicalPath(raw, '--path');
  } catch (error) {
    throw new LensletError('usage', (error as Error).message);
  }
}

async function verify(
  ctx: CommandContext,
  reader: Awaited<ReturnType<typeof openWorkspaceReader>>,
) {
  const report = await verifyWorkspace(reader, nodeFs());
  return printVerified(ctx, report, reader.dir, REPAIR_HINT);
}

const REPAIR_HINT =
  '"lenslet compact --repair" salvages what still decodes (originals are kept in quarantine/)';
