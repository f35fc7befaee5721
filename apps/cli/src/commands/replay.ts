/**
 * `lenslet replay [dir] --until <seq|time>`: the labels as of a point in history, folded from the
 * archives, snapshot and log — without taking the lock or changing anything, so it is safe next
 * to a running server. `--path` prints one image's history; `--verify` checks the whole log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertCanonicalPath,
  type CanonicalPath,
  encodeExport,
  isLabeled,
  type LabelState,
  LensletError,
} from '@lenslet/core';
import { nodeFs, openWorkspaceReader, type ReplayTarget, verifyWorkspace } from '@lenslet/store';
import { z } from 'zod';
import { HELP } from '../help.ts';
import { parseArgv, parseFlagValues, resolveWorkspace } from '../workspace.ts';
import type { CommandContext } from './command.ts';

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

function write(out: NodeJS.WritableStream, chunks: Iterable<string>): void {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length > 1 << 16) {
      out.write(pending);
      pending = '';
    }
  }
  if (pending) out.write(pending);
}

export async function replayCommand(ctx: CommandContext): Promise<number> {
  const flags = parseFlags(ctx.argv);
  if (flags.help) {
    ctx.stdout.write(HELP.replay);
    return 0;
  }
  const path = flags.path === undefined ? null : pathFlag(flags.path);
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
  if (target.seq !== undefined && state.seq < target.seq) {
    throw new LensletError(
      'usage',
      `--until ${target.seq} is past the end of the log (its last seq is ${state.seq})`,
    );
  }
  write(
    ctx.stdout,
    encodeExport(
      flags.format,
      state.seq,
      rows(state, flags.format === 'csv' ? where.imageRoot : null),
    ),
  );
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

/** Labeled items as export rows; `present` is known only when the image folder is known. */
function* rows(state: LabelState, imageRoot: string | null) {
  for (const [path, labels] of state.items) {
    if (!isLabeled(labels)) continue;
    yield { path, labels, present: imageRoot === null ? null : existsSync(join(imageRoot, path)) };
  }
}

async function verify(
  ctx: CommandContext,
  reader: Awaited<ReturnType<typeof openWorkspaceReader>>,
) {
  const report = await verifyWorkspace(reader, nodeFs());
  for (const check of report.checks) ctx.stdout.write(`ok: ${check}\n`);
  for (const problem of report.problems) ctx.stderr.write(`lenslet replay: ${problem}\n`);
  if (!report.ok) {
    ctx.stderr.write(
      `lenslet replay: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found in ${reader.dir}; "lenslet compact --repair" salvages what still decodes (originals are kept in quarantine/)\n`,
    );
    return 1;
  }
  ctx.stdout.write(
    `verified ${reader.dir}: seqs ${report.oldest_seq}–${report.head}, ${report.items} images (${report.labeled} labeled)\n`,
  );
  return 0;
}
