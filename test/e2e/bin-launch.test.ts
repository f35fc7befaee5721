/**
 * The `lenslet` bin run as a program, as `npx lenslet` and `npm start` run it: /bin/sh reads its
 * launcher line and execs node with the bin's flags (a larger young generation) in the same
 * process, so the pid the caller holds is the server's and its signals reach the server. The
 * tests elsewhere start node with the flags read from that line (binArgv); this checks the line
 * itself, and that the file still runs as plain `node <bin>`.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, binNodeFlags, ensureBuilt, FIXTURE_GALLERY, ROOT } from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-bin-'));
  await cp(FIXTURE_GALLERY, join(dir, 'gallery'), { recursive: true });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The command line of process `pid`, as the kernel has it. */
function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((arg) => arg !== '');
}

/** Serve the fixture gallery through the bin as a program; its command line once it listens. */
async function serveAsProgram(env: NodeJS.ProcessEnv): Promise<{ argv: string[]; code: number }> {
  const child = spawn(BIN, ['serve', join(dir, 'gallery'), '--port', '0', '--watch', 'off'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (/Local:\s+http:\/\/127\.0\.0\.1:\d+\//.test(out)) resolve();
      });
      child.on('exit', (code) =>
        reject(new Error(`lenslet exited (${code}) before listening:\n${out}`)),
      );
    });
    const argv = commandLine(child.pid!);
    const exited = new Promise<number>((resolve) =>
      child.on('exit', (code) => resolve(code ?? -1)),
    );
    child.kill('SIGTERM');
    return { argv, code: await exited };
  } finally {
    child.kill('SIGKILL');
  }
}

test('run as a program, the bin becomes node with its flags in the same process, which stops in order on SIGTERM', async () => {
  const { argv, code } = await serveAsProgram({ NODE_OPTIONS: '' });
  const flags = binNodeFlags(BIN, {});
  expect(flags).toEqual(['--max-semi-space-size=32']);
  expect(argv[0]).toMatch(/(^|\/)node$/);
  expect(argv.slice(1, 1 + flags.length)).toEqual(flags);
  expect(argv[1 + flags.length]).toBe(BIN);
  expect(argv.slice(2 + flags.length, 4 + flags.length)).toEqual(['serve', join(dir, 'gallery')]);
  // The pid the caller signalled was node's own: a clean stop, not a killed shell.
  expect(code).toBe(0);
}, 60_000);

test("a semi-space size in NODE_OPTIONS is the user's: the bin adds none of its own", async () => {
  const env = { NODE_OPTIONS: '--max-semi-space-size=8' };
  const { argv, code } = await serveAsProgram(env);
  expect(binNodeFlags(BIN, env)).toEqual([]);
  expect(argv.some((arg) => arg.includes('semi-space'))).toBe(false);
  expect(argv[1]).toBe(BIN);
  expect(code).toBe(0);
}, 60_000);

test('the file still runs as plain `node <bin>`, and as a program, with the same answer', async () => {
  const version = JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')).version;
  const asNode = await run(process.execPath, [BIN, '--version']);
  const asProgram = await run(BIN, ['--version']);
  expect(asNode.stdout.trim()).toBe(`lenslet ${version}`);
  expect(asProgram.stdout).toBe(asNode.stdout);
  expect(asProgram.stderr).toBe('');
  const bad = await run(BIN, ['--no-such-flag']).catch((error) => error);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
}, 60_000);
