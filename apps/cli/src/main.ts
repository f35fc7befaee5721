/**
 * The composition root of the `lenslet` command. Only this file reads argv/env and sets the exit
 * code: 0 ok, 1 operational error (one line on stderr: a LensletError, a refusal of the system, or
 * a bug said as one — failure-line.ts), 2 usage error.
 */
import { isLensletError } from '@lenslet/core';
import type { Command, CommandContext } from './commands/command.ts';
import { failureLine } from './failure-line.ts';
import { HELP, VERSION } from './help.ts';

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  compact: async () => (await import('./commands/compact.ts')).compactCommand,
  replay: async () => (await import('./commands/replay.ts')).replayCommand,
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand,
};

/** Run the CLI; resolves to the exit code. */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  io: Pick<CommandContext, 'stdout' | 'stderr'> = {
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`lenslet ${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(HELP.main);
    return 0;
  }
  // `lenslet` alone or `lenslet <dir>` means serve, like the original.
  const known = first !== undefined && Object.hasOwn(COMMANDS, first);
  const name = known ? first : 'serve';
  const args = known ? rest : argv;
  if (
    !known &&
    first !== undefined &&
    first.startsWith('-') === false &&
    /^[a-z]+$/.test(first) &&
    !(await exists(first))
  ) {
    io.stderr.write(
      `lenslet: unknown command "${first}" (and no folder by that name). Try: lenslet --help\n`,
    );
    return 2;
  }
  try {
    const command = await COMMANDS[name]!();
    return await command({ argv: args, env, ...io });
  } catch (error) {
    if (isLensletError(error)) {
      io.stderr.write(`lenslet ${name}: ${error.message}\n`);
      return error.code === 'usage' ? 2 : 1;
    }
    io.stderr.write(failureLine(name, error, env.LENSLET_DEBUG === '1'));
    return 1;
  }
}

async function exists(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(path).then(
    () => true,
    () => false,
  );
}
