/**
 * The built CLI as users run it (`bin/lenslet.cjs`) in a child process: `spawnCli` for a
 * long-running command whose output is watched, `runCli` for one that runs to its end.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { BIN, ROOT } from '../repo.ts';
import { binArgv } from './bin-launch.ts';

export type CliRun = {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when stdout matches; rejects on timeout or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
};

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const childEnv = { ...process.env, ...env };
  const child = spawn(process.execPath, [...binArgv(BIN, [], childEnv), ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = () => `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = run.stdout.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const fail = (why: string) => () => {
          cleanup();
          reject(new Error(`${why} ${pattern}; ${output()}`));
        };
        const timer = setTimeout(fail('timed out waiting for'), timeoutMs);
        const onExit = fail('lenslet exited before');
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.on('exit', onExit);
        check();
      });
    },
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  return run;
}

export type CliResult = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Run `lenslet <args>` to its end; resolves with its exit code and everything it printed. */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...binArgv(BIN), ...args],
      { cwd: ROOT, maxBuffer: 1 << 28, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}
