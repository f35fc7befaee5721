/**
 * What `lenslet replay` prints, for a workspace (replay.ts) and for a database
 * (replay-database.ts) alike: the state as json or csv through core's export encoder (the one the
 * server's /export uses), and a verification report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeExport, isLabeled, type LabelState, LensletError } from '@lenslet/core';
import type { ReplayTarget, VerifyReport } from '@lenslet/store';
import type { CommandContext } from './command.ts';

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

/** Labeled items as export rows; `present` is known only when the image folder is known. */
function* rows(state: LabelState, imageRoot: string | null) {
  for (const [path, labels] of state.items) {
    if (!isLabeled(labels)) continue;
    yield { path, labels, present: imageRoot === null ? null : existsSync(join(imageRoot, path)) };
  }
}

/** `lenslet replay --format json` of `state`, as one string (what `lenslet migrate` compares). */
export function stateJson(state: LabelState): string {
  return [...encodeExport('json', state.seq, rows(state, null))].join('');
}

/** The state as `--format` says (refusing a `--until` seq past the end of the log). */
export function printState(
  ctx: CommandContext,
  state: LabelState,
  target: ReplayTarget,
  format: 'json' | 'csv',
  imageRoot: string | null,
): void {
  if (target.seq !== undefined && state.seq < target.seq) {
    throw new LensletError(
      'usage',
      `--until ${target.seq} is past the end of the log (its last seq is ${state.seq})`,
    );
  }
  write(
    ctx.stdout,
    encodeExport(format, state.seq, rows(state, format === 'csv' ? imageRoot : null)),
  );
}

/** Print a verification report; 1 when it found a problem. */
export function printVerified(
  ctx: CommandContext,
  report: VerifyReport,
  where: string,
  hint: string,
): number {
  for (const check of report.checks) ctx.stdout.write(`ok: ${check}\n`);
  for (const problem of report.problems) ctx.stderr.write(`lenslet replay: ${problem}\n`);
  if (!report.ok) {
    ctx.stderr.write(
      `lenslet replay: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found in ${where}; ${hint}\n`,
    );
    return 1;
  }
  ctx.stdout.write(
    `verified ${where}: seqs ${report.oldest_seq}–${report.head}, ${report.items} images (${report.labeled} labeled)\n`,
  );
  return 0;
}
