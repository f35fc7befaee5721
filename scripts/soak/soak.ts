/**
 * Soak test with faults: `npm run soak` (3 minutes) or `npm run soak:ci` (about a minute).
 *
 *   node --import tsx scripts/soak/soak.ts [--duration <s>] [--seed <n>] [--ci] [--kills <n>]
 *        [--labelers <n>] [--listeners <n>] [--browser | --no-browser] [--keep]
 *
 * Starts the built server (`lenslet serve`, loopback only, with the test-only disk-fault hook
 * `LENSLET_TEST_FAULTS=1`) on a temp copy of a gallery; runs simulated labelers (labeler.ts),
 * live listeners (listener.ts) and, in the full run, a Chromium page (browser.ts); and, at
 * random moments chosen by the seed, SIGKILLs and restarts the server, makes the disk fail with
 * ENOSPC / EIO for a few seconds, and compacts the log with `lenslet compact` under load. At the
 * end it checks everything listed in verify.ts and exits 1 with one line per violation.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureBuilt, freePort, ManagedServer, runCli, sleep } from '@lenslet/test-kit';
import { BROWSER_USER, BrowserLabeler, HAS_CHROMIUM } from './browser.ts';
import { makeSoakGallery } from './gallery.ts';
import { Labeler } from './labeler.ts';
import { Ledger, MAX_VIOLATIONS_SHOWN } from './ledger.ts';
import { Listener } from './listener.ts';
import { createRng } from './rng.ts';
import { schedule } from './schedule.ts';
import { createTrouble, FAULT_GRACE_MS } from './trouble.ts';
import { checkLog, compareState, type ExportJson, unexpectedStderr } from './verify.ts';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    seed: { type: 'string' },
    ci: { type: 'boolean', default: false },
    kills: { type: 'string' },
    labelers: { type: 'string' },
    listeners: { type: 'string' },
    browser: { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  process.stdout.write(
    `Usage: npm run soak -- [--duration <s>] [--seed <n>] [--ci] [--kills <n>] [--labelers <n>]
                       [--listeners <n>] [--browser | --no-browser] [--keep]

  --duration <s>    seconds of load (default 180; --ci: 60)
  --seed <n>        seed for every random choice (default: random, printed)
  --ci              the short CI setting: 60 s, 2 kills, one disk fault, one compaction, no browser
  --kills <n>       SIGKILL + restart this many times (default 6; --ci: 2)
  --labelers <n>    simulated labelers (default 20)
  --listeners <n>   live-stream listeners (default 100)
  --browser         also label through the web client in Chromium (default in the full run)
  --keep            keep the temp gallery and workspace for inspection
`,
  );
  process.exit(0);
}

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`soak: --${name} must be a whole number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
};

const CI = flags.ci;
const DURATION_MS = int(flags.duration, CI ? 60 : 180, 'duration') * 1000;
const SEED = int(flags.seed, Math.floor(Math.random() * 2 ** 31), 'seed');
const KILLS = int(flags.kills, CI ? 2 : 6, 'kills');
const LABELERS = int(flags.labelers, 20, 'labelers');
const LISTENERS = int(flags.listeners, 100, 'listeners');
/** About one disk-fault window per minute of load, one compaction per 90 s (at least one each). */
const FAULT_WINDOWS = Math.max(1, Math.round(DURATION_MS / 60_000));
const COMPACTIONS = Math.max(1, Math.round(DURATION_MS / 90_000));
const WANT_BROWSER = flags['no-browser'] ? false : (flags.browser ?? !CI);

const t0 = performance.now();
const clock = () => performance.now() - t0;
const log = (line: string) =>
  process.stdout.write(`[${(clock() / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

async function main(): Promise<number> {
  const rng = createRng(SEED);
  const browserWanted = WANT_BROWSER && HAS_CHROMIUM;
  log(
    `soak: ${DURATION_MS / 1000} s, seed ${SEED}, ${LABELERS} labelers, ${LISTENERS} listeners, ${KILLS} kills, ${FAULT_WINDOWS} disk faults, ${COMPACTIONS} compactions${browserWanted ? ', 1 Chromium page' : ''}  (rerun: --seed ${SEED}${CI ? ' --ci' : ''})`,
  );
  if (WANT_BROWSER && !HAS_CHROMIUM) log('no Chromium at /usr/bin/chromium: browser part skipped');
  await ensureBuilt();
  const gallery = makeSoakGallery(240, 12);
  const ledger = new Ledger(clock);
  const server = new ManagedServer({
    args: [gallery.dir],
    port: await freePort(),
    env: { LENSLET_TEST_FAULTS: '1' },
    workspace: gallery.workspace,
    clock,
  });
  const listeners: Listener[] = [];
  const labelers: Labeler[] = [];
  let browser: BrowserLabeler | null = null;
  let compacting: Promise<void> = Promise.resolve();
  let compactionsOk = 0;
  try {
    await server.start();
    log(`server up at ${server.url} (pid ${server.pid}) on ${gallery.dir}`);
    for (let i = 0; i < LISTENERS; i++) {
      const listener = new Listener(i, server.url, ledger, rng.fork());
      listeners.push(listener);
      // Staggered: late joiners replay a long history first.
      setTimeout(() => listener.start(), rng.int(0, Math.min(20_000, DURATION_MS / 3)));
    }
    for (let i = 0; i < LABELERS; i++) {
      const labeler = new Labeler({
        id: i,
        url: server.url,
        paths: gallery.paths,
        rng: rng.fork(),
        ledger,
        think_ms: 60,
      });
      labelers.push(labeler);
      labeler.start();
    }
    if (browserWanted) {
      browser = new BrowserLabeler(server.url, gallery.browserPaths, rng.fork(), ledger);
      await browser.start();
      log('Chromium labels /browser through the web client');
    }

    const progress = setInterval(() => {
      const behind = listeners.filter((l) => l.connections > 0);
      const lows = behind.map((l) => l.last);
      log(
        `acked ${ledger.counters.get('writes acknowledged') ?? 0}, records acked ${ledger.acks.length}, 503s ${ledger.serverErrors.length}, listeners at seq ${lows.length ? Math.min(...lows) : 0}–${lows.length ? Math.max(...lows) : 0}`,
      );
    }, 10_000);

    const plan = {
      duration_ms: DURATION_MS,
      kills: KILLS,
      fault_windows: FAULT_WINDOWS,
      compactions: COMPACTIONS,
    };
    const trouble = createTrouble({ server, ledger, rng, log, dir: gallery.dir });
    for (const action of schedule(rng, plan)) {
      const wait = action.at - clock();
      if (wait > 0) await sleep(wait);
      if (action.kind === 'kill') await trouble.kill();
      else if (action.kind === 'fault') await trouble.fault(action.ms, action.variant);
      else {
        // In the background, so load (and maybe a kill or a disk fault) goes on meanwhile; one
        // compaction at a time, as a person running `lenslet compact` would.
        compacting = compacting.then(async () => {
          if (await trouble.compact()) compactionsOk += 1;
        });
      }
    }
    const rest = DURATION_MS - clock();
    if (rest > 0) await sleep(rest);
    clearInterval(progress);
    await compacting;

    log('load over: draining labelers, then checking');
    await Promise.all(labelers.map((l) => l.stop(30_000)));
    if (browser) {
      const stuck = await browser.drain(90_000);
      if (stuck) ledger.violation(`browser outbox: ${stuck}`);
    }
    const health = (await (await fetch(`${server.url}/health`)).json()) as {
      labels: { seq: number };
    };
    const head = health.labels.seq;
    const deadline = performance.now() + 30_000;
    while (listeners.some((l) => l.last < head) && performance.now() < deadline) await sleep(200);
    for (const l of listeners) {
      if (l.last !== head) {
        ledger.violation(`listener ${l.id} ended at seq ${l.last}, the server's head is ${head}`);
      }
    }
    const exportText = await (await fetch(`${server.url}/export?format=json`)).text();
    const exported = JSON.parse(exportText) as ExportJson;
    if (exported.seq !== head) ledger.violation(`export is at seq ${exported.seq}, head ${head}`);
    let listenerProblems = 0;
    for (const l of listeners) {
      const problems = compareState(`listener ${l.id}`, l.state, exported);
      listenerProblems += problems.length;
      for (const p of problems.slice(0, 3)) ledger.violation(p);
    }
    if (browser) {
      for (const [path, star] of browser.intended) {
        const labels = exported.items[path];
        if (labels?.star !== star) {
          ledger.violation(
            `browser: last set ${path} to ${star} stars through the UI; the server has ${labels?.star ?? 'nothing'}`,
          );
        }
      }
      for (const error of browser.errors.filter((e) => !/fetch|network|Failed to/i.test(e))) {
        ledger.violation(`browser page error: ${error}`);
      }
    }
    await Promise.all(listeners.map((l) => l.stop()));
    await browser?.close();
    browser = null;

    await server.stop('SIGTERM');
    const last = server.current!;
    if (last.ended_by !== 'exit 0') ledger.violation(`clean stop ended with ${last.ended_by}`);
    const verify = await runCli(['replay', gallery.dir, '--verify']);
    if (verify.code !== 0) {
      ledger.violation(
        `lenslet replay --verify failed (exit ${verify.code}):\n${verify.stderr}${verify.stdout}`,
      );
    }
    const replay = await runCli(['replay', gallery.dir]);
    if (replay.code !== 0) ledger.violation(`lenslet replay failed: ${replay.stderr}`);
    else if (replay.stdout !== exportText) {
      ledger.violation("lenslet replay's JSON differs from the server's last export");
    }
    const facts = await checkLog(ledger, gallery.workspace, (r) => r.actor === BROWSER_USER);

    for (const line of unexpectedStderr(server.stderr())) {
      ledger.violation(`server stderr: ${line}`);
    }
    for (const error of ledger.serverErrors) {
      const injected =
        error.status === 503 &&
        error.code === 'persistence_unavailable' &&
        ledger.within('disk-fault', error.at, FAULT_GRACE_MS);
      if (injected) ledger.count('503 persistence_unavailable during injected faults');
      else {
        ledger.violation(
          `${error.status} ${error.code} at ${(error.at / 1000).toFixed(1)} s outside any injected fault: ${error.what}`,
        );
      }
    }
    const kills = ledger.counters.get('SIGKILLs') ?? 0;
    if (kills < KILLS) ledger.violation(`only ${kills} of ${KILLS} kills happened`);
    if (COMPACTIONS > 0 && compactionsOk === 0) ledger.violation('no compaction completed');
    if (
      FAULT_WINDOWS > 0 &&
      !ledger.counters.has('503 persistence_unavailable during injected faults')
    ) {
      ledger.violation('no write was refused during the disk faults: the fault hook did not bite');
    }

    const summary: [string, string | number][] = [
      ['seed', SEED],
      ['duration (load)', `${DURATION_MS / 1000} s`],
      ['server incarnations', server.incarnations.length],
      ['log records (final head)', `${facts.records} (seq ${facts.head})`],
      ['records acknowledged to clients', ledger.acks.length],
      ['writes never acknowledged (run ended while retrying)', ledger.unresolved.size],
      ['compactions completed', compactionsOk],
      ['listener events received', listeners.reduce((n, l) => n + l.events, 0)],
      ['listener state mismatches', listenerProblems],
      ...[...ledger.counters.entries()].sort(([a], [b]) => a.localeCompare(b)),
    ];
    process.stdout.write('\nsoak summary\n');
    for (const [name, value] of summary) process.stdout.write(`  ${name}: ${value}\n`);
    return report(ledger);
  } finally {
    for (const l of labelers) void l.stop(0);
    for (const l of listeners) void l.stop();
    await browser?.close().catch(() => {});
    await server.stop('SIGKILL');
    if (flags.keep) log(`kept ${gallery.dir}`);
    else rmSync(gallery.dir, { recursive: true, force: true });
  }
}

function report(ledger: Ledger): number {
  if (ledger.violations.length === 0) {
    process.stdout.write(
      "\nsoak passed: every acknowledged write is in the log exactly once with the labels it promised; every listener saw every seq once, in order, and ended with the server's labels; replay --verify passed; no unexpected server error.\n",
    );
    return 0;
  }
  process.stdout.write(`\nsoak FAILED: ${ledger.violations.length} violation(s) (seed ${SEED})\n`);
  for (const v of ledger.violations.slice(0, MAX_VIOLATIONS_SHOWN))
    process.stdout.write(`  ✗ ${v}\n`);
  if (ledger.violations.length > MAX_VIOLATIONS_SHOWN) {
    process.stdout.write(`  … and ${ledger.violations.length - MAX_VIOLATIONS_SHOWN} more\n`);
  }
  return 1;
}

process.exitCode = await main();
