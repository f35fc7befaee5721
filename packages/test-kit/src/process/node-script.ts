/**
 * Scripts in their own Node process (TypeScript through tsx, or a bundle), the way benchmarks keep a server
 * and its load generator off each other's event loop. A script reports by printing JSON lines:
 * a server prints one when it is ready, a measurement prints its result as its last line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killOnExit } from './children.ts';

/** Command-line flags from a record: `{ url: 'x', clients: 64 }` => `['--url', 'x', '--clients', '64']`. */
export function cliFlags(flags: Readonly<Record<string, string | number>>): string[] {
  return Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

export type ScriptOptions = {
  /** Environment of the child (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Node flags before the script (e.g. `--expose-gc`). */
  readonly node_args?: readonly string[];
  /** Load the script through tsx (default); false for plain JavaScript such as a bundle. */
  readonly tsx?: boolean;
};

function spawnScript(script: string, args: readonly string[], options: ScriptOptions) {
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const argv = [...(options.node_args ?? []), ...loader, script, ...args];
  return killOnExit(
    spawn(process.execPath, argv, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
}

export type StartedScript<T> = { readonly child: ChildProcess; readonly ready: T };

/** Start a long-running script; resolves with the JSON of the first line it prints. */
export async function startScript<T>(
  script: string,
  args: readonly string[],
  options: ScriptOptions = {},
): Promise<StartedScript<T>> {
  const child = spawnScript(script, args, options);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) as T };
}

/** Send `signal` to a child and wait until it has exited. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Run a script to its end; resolves with the JSON of its last stdout line (rejects on failure). */
export function runScript<T = Record<string, number>>(
  script: string,
  args: readonly string[],
  options: ScriptOptions = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnScript(script, args, options);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}
