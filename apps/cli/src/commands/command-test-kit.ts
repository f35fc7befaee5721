/**
 * Test kit for the CLI command tests (not a test file, not bundled): run `main` with captured
 * output, and make throwaway image folders whose .lenslet/ holds a copy of a golden log.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../main.ts';

const LOGS = fileURLToPath(new URL('../../../../test/fixtures/logs/', import.meta.url));

/** Runs `lenslet <argv>` in-process with an empty environment; returns its exit code and output. */
export async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(
    argv,
    {},
    {
      stdout: sink((s) => (stdout += s)),
      stderr: sink((s) => (stderr += s)),
    },
  );
  return { code, stdout, stderr };
}

/** The path of a golden log in test/fixtures/logs/. */
export const goldenLog = (name: string): string => join(LOGS, name);

/**
 * Temp folders named `<prefix>…`: `make` gives one whose .lenslet/labels.log.jsonl is a copy of a
 * golden log, `empty` one with nothing in it. Call `cleanup` in afterEach: it removes them all.
 */
export function goldenLogFolders(prefix: string) {
  const made: string[] = [];
  const empty = async (): Promise<string> => {
    const root = await mkdtemp(join(tmpdir(), prefix));
    made.push(root);
    return root;
  };
  return {
    empty,
    async make(log: string): Promise<string> {
      const root = await empty();
      await mkdir(join(root, '.lenslet'));
      await copyFile(goldenLog(log), join(root, '.lenslet/labels.log.jsonl'));
      return root;
    },
    async cleanup(): Promise<void> {
      for (const root of made.splice(0)) await rm(root, { recursive: true, force: true });
    },
  };
}
