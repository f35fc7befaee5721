/**
 * What every `lenslet <command>` receives and returns. Its own module so the commands and
 * `main.ts` (which loads them lazily) both depend on it instead of on each other.
 */
export type CommandContext = {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
};

/** A command resolves to its exit code (0 ok, 1 operational error, 2 usage). */
export type Command = (ctx: CommandContext) => Promise<number>;
