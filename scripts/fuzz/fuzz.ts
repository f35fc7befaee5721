/**
 * Hostile-input fuzzing of every route: `npm run fuzz` (3 minutes of random requests) or
 * `npm run fuzz:ci` (under a minute).
 *
 *   node --import tsx scripts/fuzz/fuzz.ts [--duration <s>] [--seed <n>] [--ci] [--keep]
 *
 * Two real servers (the built CLI on loopback ports): one open, one started with `--token`, on
 * copies of the fixture gallery with symlinks that lead out of the root and a canary file
 * outside it (fixture.ts). First the targeted cases (cases.ts), then fast-check properties that
 * send random requests over raw sockets (arbitraries.ts) and judge every answer (oracle.ts).
 * At the end both servers must still answer, stop cleanly, have printed no internal error, and
 * `lenslet replay --verify` must pass on both logs. The full run then fuzzes the store's loaders
 * (packages/store/src/recovery/loaders.fuzz.test.ts) with 2,000 mutated workspaces per property. Exit 1
 * lists each distinct finding with the request that caused it (rerun with the printed --seed).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, freePort, ManagedServer, ROOT, runCli } from '@lenslet/test-kit';
import fc from 'fast-check';
import { unexpectedStderr } from '../soak/verify.ts';
import { makeFuzzFixture } from './fixture.ts';
import { presenceFlood, resumePoints, tokenChecks } from './live-cases.ts';
import { describeRequest, Oracle } from './oracle.ts';
import { traversalMatrix } from './path-cases.ts';
import type { Target } from './probe.ts';
import { RequestTimeout, send } from './raw-http.ts';
import { brokenRequests, hugeBodies } from './request-cases.ts';
import { request } from './requests.ts';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    seed: { type: 'string' },
    ci: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(`Usage: npm run fuzz -- [--duration <s>] [--seed <n>] [--ci] [--keep]

  --duration <s>  seconds of random requests after the targeted cases (default 180; --ci: 30)
  --seed <n>      fast-check seed (default: random, printed)
  --ci            the short CI setting: a smaller presence flood, no deep loader fuzz
                  (npm test already runs it with fewer cases)
  --keep          keep the temp galleries and workspaces
`);
  process.exit(0);
}
const CI = flags.ci;
const DURATION_MS = Number(flags.duration ?? (CI ? 30 : 180)) * 1000;
const SEED = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(flags.seed);
if (!Number.isFinite(DURATION_MS) || !Number.isInteger(SEED)) {
  process.stderr.write('fuzz: --duration and --seed take numbers\n');
  process.exit(2);
}
const TOKEN = 'fuzz-access-token-0123456789abcdef';
const LOADER_RUNS = 2_000;

function runVitest(
  file: string,
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', file],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

const t0 = performance.now();
const log = (line: string) =>
  process.stdout.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

/** Random requests against one server until `ms` have passed. */
async function randomRequests(
  oracle: Oracle,
  t: Target,
  ms: number,
  seed: number,
): Promise<number> {
  let sent = 0;
  const property = fc.asyncProperty(
    request({ port: t.port, token: t.token }, t.outside),
    async (req) => {
      sent += 1;
      try {
        oracle.judge(req, await send(t.port, req, 15_000));
      } catch (error) {
        if (error instanceof RequestTimeout) oracle.hung(req, error.message);
        else throw error;
      }
    },
  );
  await fc.assert(property, {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: ms,
    markInterruptAsFailure: false,
  });
  return sent;
}

async function main(): Promise<number> {
  log(
    `fuzz: seed ${SEED}, ${DURATION_MS / 1000} s of random requests  (rerun: --seed ${SEED}${CI ? ' --ci' : ''})`,
  );
  await ensureBuilt();
  const fixture = makeFuzzFixture();
  const oracle = new Oracle();
  oracle.secret('the canary file outside the root', fixture.canary);
  oracle.secret('the access token', TOKEN, false);
  const openDir = fixture.gallery('open');
  const tokenDir = fixture.gallery('token');
  const open = new ManagedServer({
    args: [openDir],
    port: await freePort(),
    workspace: join(openDir, '.lenslet'),
  });
  const guarded = new ManagedServer({
    args: [tokenDir, '--token', TOKEN],
    port: await freePort(),
    workspace: join(tokenDir, '.lenslet'),
  });
  const problems: string[] = [];
  try {
    await Promise.all([open.start(), guarded.start()]);
    oracle.secret('the admin token of the open server', await open.adminToken());
    oracle.secret('the admin token of the token server', await guarded.adminToken());
    const a: Target = {
      port: Number(new URL(open.url).port),
      token: null,
      outside: fixture.outside,
    };
    const b: Target = {
      port: Number(new URL(guarded.url).port),
      token: TOKEN,
      outside: fixture.outside,
    };
    log(`servers up: open ${open.url}, with --token ${guarded.url}`);

    await traversalMatrix(oracle, a);
    await traversalMatrix(oracle, b);
    log(`traversal and symlink matrix done (${oracle.requests} requests)`);
    await hugeBodies(oracle, a, CI);
    await brokenRequests(oracle, a);
    await brokenRequests(oracle, b);
    await resumePoints(oracle, a);
    await tokenChecks(oracle, { ...b, token: TOKEN });
    log(
      `huge bodies, broken requests, resume points, token checks done (${oracle.requests} requests)`,
    );
    const flood = await presenceFlood(oracle, a, CI ? 2_000 : 10_500);
    log(`presence flood: ${flood.ok} joins accepted, ${flood.limited} refused with 429`);
    if (!CI && flood.limited === 0)
      problems.push('presence flood: 10,500 sessions and no 429 (the cap is 10,000)');

    const before = oracle.requests;
    const sentA = await randomRequests(oracle, a, DURATION_MS * 0.65, SEED);
    const sentB = await randomRequests(oracle, b, DURATION_MS * 0.35, SEED + 1);
    log(
      `random requests: ${sentA} to the open server, ${sentB} to the token server (${oracle.requests - before} judged)`,
    );

    for (const [name, server] of [
      ['open', open],
      ['token', guarded],
    ] as const) {
      if (!server.alive) problems.push(`the ${name} server died: ${server.current?.ended_by}`);
      const health = await send(Number(new URL(server.url).port), {
        method: 'GET',
        target: '/health',
        headers: server === guarded ? { authorization: `Bearer ${TOKEN}` } : {},
      }).catch((error: Error) => ({ status: 0, body: Buffer.from(error.message) }));
      if (health.status !== 200)
        problems.push(`the ${name} server's /health answers ${health.status}`);
      await server.stop('SIGTERM');
      if (server.current?.ended_by !== 'exit 0') {
        problems.push(`the ${name} server did not stop cleanly: ${server.current?.ended_by}`);
      }
      const lines = unexpectedStderr(server.stderr());
      const distinct = [...new Set(lines)];
      for (const line of distinct.slice(0, 20)) problems.push(`${name} server stderr: ${line}`);
      if (distinct.length > 20)
        problems.push(`${name} server stderr: … ${distinct.length - 20} more distinct lines`);
      const dir = name === 'open' ? openDir : tokenDir;
      const verify = await runCli(['replay', dir, '--verify']);
      if (verify.code !== 0)
        problems.push(`lenslet replay --verify (${name}): ${verify.stderr.trim()}`);
      else log(`${name}: ${verify.stdout.trim().split('\n').at(-1)}`);
    }
  } finally {
    await open.stop('SIGKILL');
    await guarded.stop('SIGKILL');
    if (flags.keep) log(`kept ${fixture.root}`);
    else rmSync(fixture.root, { recursive: true, force: true });
  }

  if (!CI) {
    // The loader fuzz of the store (npm test runs it with 150 cases per property) goes deeper here.
    log(`loader fuzz: ${LOADER_RUNS} mutated workspaces per property`);
    const loader = await runVitest('packages/store/src/recovery/loaders.fuzz.test.ts', {
      LENSLET_FUZZ_RUNS: String(LOADER_RUNS),
    });
    if (loader.code !== 0) problems.push(`loader fuzz failed:\n${loader.out.slice(-3000)}`);
    else log('loader fuzz passed');
  }

  const statuses = [...oracle.statuses.entries()].sort(([x], [y]) => x - y);
  process.stdout.write(
    `\nfuzz summary: ${oracle.requests} requests; statuses ${statuses.map(([s, n]) => `${s}×${n}`).join(' ')}; ${oracle.parserRejections} refused by Node's HTTP parser\n`,
  );
  if (oracle.findings.length === 0 && problems.length === 0) {
    process.stdout.write(
      'fuzz passed: no crash or hang, no 5xx, every error a {error, message} JSON, no stack trace, nothing from outside the root, both logs verified.\n',
    );
    return 0;
  }
  process.stdout.write(
    `\nfuzz FAILED (seed ${SEED}): ${oracle.findings.length + problems.length} finding(s)\n`,
  );
  for (const f of oracle.findings) {
    process.stdout.write(
      `  ✗ ${f.kind} (${f.status}): ${f.detail}\n      ${describeRequest(f.request)}\n`,
    );
  }
  for (const p of problems) process.stdout.write(`  ✗ ${p}\n`);
  return 1;
}

process.exitCode = await main();
