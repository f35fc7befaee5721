/**
 * `lenslet migrate --from <dir|url> --to <dir|url>`: copy a whole label log — every record
 * (history), the idempotency fields each record carries (so a retried request is still answered
 * from its record), the log id and the saved views — from a workspace or a database into an empty
 * workspace or database, then verify the copy: `lenslet replay --format json` of the destination
 * must equal the source's byte for byte, and its head the source's head. The source is read as a
 * server would serve it; stop writes to it first (a workspace source is locked while it is read).
 */
import { createHash } from 'node:crypto';
import { LensletError } from '@lenslet/core';
import { importLog, openPostgresStore } from '@lenslet/postgres';
import { z } from 'zod';
import { HELP } from '../help.ts';
import {
  assertEmptyWorkspace,
  describeEnd,
  type LogEnd,
  openEnd,
  recordBatches,
  toEnd,
  viewsOf,
  writeWorkspace,
} from '../log-copy.ts';
import { parseArgv, parseFlagValues } from '../workspace.ts';
import type { CommandContext } from './command.ts';
import { stateJson } from './replay-output.ts';

const flagsSchema = z.strictObject({
  from: z.string({ message: '--from is required (a folder or a postgres:// URL)' }).min(1),
  to: z.string({ message: '--to is required (a folder or a postgres:// URL)' }).min(1),
  help: z.boolean().default(false),
});

function parseFlags(argv: readonly string[]) {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true } as const;
  const parsed = parseArgv(
    argv,
    { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    (first) => `${first}. Try: lenslet migrate --help`,
  );
  if (parsed.positionals.length > 0) {
    throw new LensletError('usage', 'migrate takes --from and --to, no other arguments');
  }
  return parseFlagValues(flagsSchema, parsed.values);
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** `replay --format json` of an end at its head, and that head. */
async function replayed(end: LogEnd, warn: (m: string) => void) {
  const store = await openEnd(end, warn);
  try {
    return { json: stateJson(await store.stateAt(store.head())), head: store.head() };
  } finally {
    await store.close();
  }
}

export async function migrateCommand(ctx: CommandContext): Promise<number> {
  const flags = parseFlags(ctx.argv);
  if ('help' in flags && flags.help) {
    ctx.stdout.write(HELP.migrate);
    return 0;
  }
  const { from: rawFrom, to: rawTo } = flags as { from: string; to: string };
  const warn = (message: string) => ctx.stderr.write(`lenslet migrate: warning: ${message}\n`);
  const from = toEnd(rawFrom, 'from', process.cwd());
  const to = toEnd(rawTo, 'to', process.cwd());
  if (describeEnd(from) === describeEnd(to)) {
    throw new LensletError('usage', '--from and --to name the same log');
  }
  if (to.kind === 'workspace') assertEmptyWorkspace(to.dir);

  const source = await openEnd(from, warn);
  let before: string;
  let copied: number;
  let views: Awaited<ReturnType<typeof viewsOf>>;
  try {
    const head = source.head();
    // A workspace imported from the original Lenslet starts past its event ids (docs/format.md §9).
    const origin = source.status().origin ?? 0;
    before = stateJson(await source.stateAt(head));
    views = await viewsOf(from, source);
    const batches = recordBatches(source, head);
    if (to.kind === 'database') {
      copied = (await importLog(to.url, { log_id: source.log_id, batches, views, origin })).head;
      // A snapshot at the head, so replicas on the new database start fast.
      const copy = await openPostgresStore(to.url, { log_id: source.log_id, onWarning: warn });
      await copy.snapshot().finally(() => copy.close());
    } else {
      copied = await writeWorkspace(to.dir, source.log_id, batches, views, origin);
    }
    if (copied !== head) {
      throw new LensletError('internal', `copied ${copied} records but the source head is ${head}`);
    }
    ctx.stdout.write(
      `copied ${(copied - origin).toLocaleString('en-US')} records (log ${source.log_id}${origin > 0 ? `, seqs ${origin + 1}–${copied}` : ''}) and ${views.views.length} saved views (revision ${views.revision}) from ${describeEnd(from)} to ${describeEnd(to)}\n`,
    );
  } finally {
    await source.close();
  }

  const after = await replayed(to, warn);
  if (after.head !== copied || after.json !== before) {
    throw new LensletError(
      'internal',
      `the copy in ${describeEnd(to)} does not replay like the source (head ${after.head} vs ${copied}; json sha256 ${sha(after.json)} vs ${sha(before)}); do not use it`,
    );
  }
  ctx.stdout.write(
    `verified: "lenslet replay --format json" gives the same ${Buffer.byteLength(before).toLocaleString('en-US')} bytes for both (sha256 ${sha(before)}…), head ${copied}\n`,
  );
  return 0;
}
