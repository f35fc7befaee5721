/**
 * The benchmark report: `npm run bench:all [-- --runs 3] [--quick] [--only store,web]
 * [--no-proof] [--out docs/benchmarks.md]`.
 *
 * Runs every benchmark script (store, gallery, server-browse, server-labels, sse-latency, web, load-500)
 * `--runs` times, one after another, each in its own process, and writes docs/benchmarks.md:
 * the machine, the date, the command, every figure as the median of the runs, and a summary of
 * each headline figure beside its target or its limit *measured in the same run* (e.g. durable
 * applies/s beside a bare write + fdatasync loop on the same disk). It then runs the soak and
 * the fuzz once each and records their verdicts (`--no-proof` skips them).
 *
 * Medians without knowing each script's format: a script's output lines are matched across runs
 * by their shape (the line with every number replaced by #), and each number of the first run's
 * line is replaced by the median of that number over the runs, in the same format. Lines whose
 * shape differs between runs (temp paths, random seeds) keep the first run's text.
 *
 * The other sections of docs/benchmarks.md belong to each benchmark's owner: only the blocks
 * between `<!-- bench:all:<name> -->` markers are rewritten; text around them is kept, and a
 * section that does not exist yet is added.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '@lenslet/test-kit';
import { type BenchRun, SECTIONS } from './all-sections.ts';
import { medianText, splitTables } from './median-text.ts';
import { PROOF_SECTION, replaceBlock } from './replace-block.ts';
import { collectSummary } from './summary.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-proof': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'docs', 'benchmarks.md') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench:all -- [--runs N] [--quick] [--only a,b] [--no-proof] [--out file]

  --runs N      runs of each benchmark; every figure is their median (default 3, at least 1)
  --quick       pass --quick to every benchmark (smaller data, shorter runs)
  --only a,b    only these: ${SECTIONS.map((s) => s.name).join(', ')}
  --no-proof    skip the soak and fuzz runs at the end
  --out file    where to write the report (default docs/benchmarks.md)
`);
  process.exit(0);
}

const RUNS = Math.max(1, Number(values.runs));
if (!Number.isInteger(RUNS)) {
  process.stderr.write('bench:all: --runs takes a whole number\n');
  process.exit(2);
}
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`bench:all: no benchmark named ${unknown.join(', ')}\n`);
  process.exit(2);
}

function runScript(
  file: string,
  args: string[],
): Promise<{ code: number; out: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, file), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) =>
      resolve({ code: code ?? 1, out, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

function sh(command: string): string {
  try {
    return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function machine(): [string, string][] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const mhz = cpus()[0]?.speed;
  const disk = sh(`findmnt -no SOURCE,FSTYPE -T ${JSON.stringify(ROOT)}`) || 'unknown';
  const device = disk.split(/\s+/)[0]?.replace('/dev/', '') ?? '';
  const rota = device ? sh(`cat /sys/block/${device.replace(/\d+$/, '')}/queue/rotational`) : '';
  return [
    ['CPU', `${model}${mhz ? ` (${mhz} MHz)` : ''}, ${cpus().length} cores`],
    ['RAM', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    [
      'disk',
      `${disk}${rota === '1' ? ' (reports rotational: a virtual disk)' : rota === '0' ? ' (SSD)' : ''}`,
    ],
    ['OS', `Linux ${release()}`],
    ['Node', process.version],
  ];
}

type Outcome = { name: string; runs: BenchRun[]; median: string };

async function main(): Promise<number> {
  const started = new Date();
  const load0 = loadavg();
  const command = `npm run bench:all -- --runs ${RUNS}${values.quick ? ' --quick' : ''}${values.only ? ` --only ${values.only}` : ''}`;
  console.log(`bench:all: ${RUNS} run(s) of each benchmark${values.quick ? ' (quick)' : ''}`);
  const outcomes: Outcome[] = [];
  for (const section of SECTIONS) {
    if (only && !only.includes(section.name)) continue;
    const runs: BenchRun[] = [];
    for (let i = 1; i <= RUNS; i++) {
      console.log(`\n=== ${section.name}: run ${i} of ${RUNS} ===`);
      const result = await runScript(section.script, values.quick ? ['--quick'] : []);
      runs.push({ ok: result.code === 0, out: result.out, seconds: result.seconds });
      if (result.code !== 0)
        console.log(`=== ${section.name}: run ${i} exited with ${result.code} ===`);
    }
    const good = runs.filter((r) => r.ok).map((r) => r.out);
    outcomes.push({ name: section.name, runs, median: good.length ? medianText(good) : '' });
  }

  const proof: { name: string; ok: boolean; summary: string }[] = [];
  if (!values['no-proof'] && !values.only) {
    for (const [name, script, args] of [
      ['soak', 'scripts/soak/soak.ts', []],
      ['fuzz', 'scripts/fuzz/fuzz.ts', []],
    ] as const) {
      console.log(`\n=== proof: ${name} ===`);
      const result = await runScript(script, [...args]);
      proof.push({ name, ok: result.code === 0, summary: proofSummary(result.out) });
    }
  }

  const report = render({ started, load0, command, outcomes, proof });
  writeFileSync(values.out!, report);
  console.log(`\nbench:all: wrote ${values.out}`);
  const failed = outcomes.filter((o) => o.runs.some((r) => !r.ok)).map((o) => o.name);
  if (failed.length) console.log(`bench:all: some runs failed: ${failed.join(', ')}`);
  return failed.length > 0 || proof.some((p) => !p.ok) ? 1 : 0;
}

/** The lines of a soak/fuzz output worth keeping: the summary and the verdict. */
function proofSummary(out: string): string {
  const lines = out.split('\n');
  const from = lines.findIndex((l) => /^(soak|fuzz) summary/.test(l));
  const kept = from >= 0 ? lines.slice(from) : lines.slice(-30);
  const head = lines.find((l) => /seed \d+/.test(l)) ?? '';
  return [head.replace(/^\[[^\]]*\]\s*/, ''), ...kept].filter((l) => l.trim() !== '').join('\n');
}

function render(input: {
  started: Date;
  load0: number[];
  command: string;
  outcomes: Outcome[];
  proof: { name: string; ok: boolean; summary: string }[];
}): string {
  const { started, load0, command, outcomes, proof } = input;
  const path = values.out!;
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const minutes = (Date.now() - started.getTime()) / 60_000;
  const header = [
    `Generated by \`${command}\` — started ${started.toISOString().replace('T', ' ').slice(0, 16)} UTC, took ${minutes.toFixed(0)} min.`,
    `Every figure below a "measured by bench:all" mark is the median of ${RUNS} run${RUNS > 1 ? 's' : ''} (each run a fresh process; the range is in the summary).`,
    '',
    '| machine | |',
    '|---|---|',
    ...machine().map(([k, v]) => `| ${k} | ${v} |`),
    `| load average | ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end (a shared machine: other processes inflate wall-clock times) |`,
    '',
    '### Summary: each headline figure beside its target or its limit measured in the same run',
    '',
    collectSummary(
      outcomes.map((o) => ({ name: o.name, runs: o.runs })),
      values.quick === true,
    ),
  ].join('\n');
  let doc = replaceBlock(existing, 'header', header, null);
  for (const outcome of outcomes) {
    const section = SECTIONS.find((s) => s.name === outcome.name)!;
    const failed = outcome.runs.filter((r) => !r.ok).length;
    const seconds = outcome.runs.map((r) => r.seconds);
    const lines = [
      `**Measured by bench:all** (\`npx tsx ${section.script}${values.quick ? ' --quick' : ''}\`, median of ${outcome.runs.length - failed} run${outcome.runs.length - failed === 1 ? '' : 's'}, ${Math.round(Math.min(...seconds))}–${Math.round(Math.max(...seconds))} s each${failed ? `; ${failed} run(s) failed and are left out` : ''}):`,
      '',
    ];
    if (outcome.median === '')
      lines.push('_Every run failed; see the console output of bench:all._');
    else {
      const { tables, rest } = splitTables(outcome.median);
      lines.push(...tables);
      if (rest.trim()) {
        lines.push(
          '',
          '<details><summary>full output (medians)</summary>',
          '',
          '```text',
          rest.trim(),
          '```',
          '',
          '</details>',
        );
      }
    }
    doc = replaceBlock(doc, section.name, lines.join('\n'), section);
  }
  if (proof.length > 0) {
    const body = [
      `Run once by the bench:all of ${started.toISOString().slice(0, 10)} (full settings: \`npm run soak\`, \`npm run fuzz\`):`,
      '',
      ...proof.flatMap((p) => [
        `**${p.name}: ${p.ok ? 'passed' : 'FAILED'}**`,
        '',
        '```text',
        p.summary,
        '```',
        '',
      ]),
    ].join('\n');
    doc = replaceBlock(doc, 'proof', body, PROOF_SECTION);
  }
  return doc;
}

process.exitCode = await main();
