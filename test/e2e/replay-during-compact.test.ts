/**
 * `lenslet replay` while `lenslet compact` runs on a served workspace under write load (issue 12:
 * replay crashed with a stack trace, ENOENT on a segment the compactor had just archived). Every
 * replay exits 0 with no stack trace, and prints exactly what the server exports as of the same
 * seq; `replay --verify` passes.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CliResult,
  type CliRun,
  ensureBuilt,
  FIXTURE_GALLERY,
  runCli,
  spawnCli,
} from '@lenslet/test-kit';
import { generateLog } from '@lenslet/test-kit/fixtures';
import { afterEach, beforeAll, expect, test } from 'vitest';

let dir: string | undefined;
let server: CliRun | undefined;

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const RECORDS = 40_000;
const NO_STACK = /^\s+at\s|Error:|node:internal/m;

function expectClean(result: CliResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
  expect(result.stderr, what).not.toMatch(NO_STACK);
}

test('replay during compact under load: exit 0, the same labels the server exports', async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-replay-compact-'));
  const images = ['a.png', 'b.png', 'c.png', 'd.png'];
  for (const name of images)
    await copyFile(join(FIXTURE_GALLERY, 'transparent.png'), join(dir, name));
  // History to compact: a log big enough that compaction takes a while.
  generateLog(join(dir, '.lenslet'), RECORDS, 3_000);
  server = spawnCli(['serve', dir, '--watch', 'off']);
  const [, url] = await server.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 90_000);

  let writing = true;
  let written = 0;
  const writer = async (id: number) => {
    for (let i = 0; writing; i++) {
      const path = `/${images[(id + i) % images.length]}`;
      const res = await fetch(`${url}/item?path=${encodeURIComponent(path)}`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `load-${id}-${i}-0123456789`,
          'x-lenslet-user': 'ana',
        },
        // Each writer adds its own tag to the four images, then removes it: every write is a record.
        body: JSON.stringify(i % 8 < 4 ? { add_tags: [`w${id}`] } : { remove_tags: [`w${id}`] }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      written += 1;
    }
  };
  const writers = Array.from({ length: 4 }, (_, id) => writer(id));
  const head = async () =>
    ((await (await fetch(`${url}/health`)).json()) as { labels: { seq: number } }).labels.seq;

  let compacting = true;
  let during = 0;
  const replayer = async (n: number) => {
    while (compacting) {
      const until = (await head()) - (n % 3) * 17;
      const result = await runCli(['replay', dir!, '--until', String(until)]);
      expectClean(result, `replay --until ${until}`);
      const exported = await (await fetch(`${url}/export?as_of=${until}`)).text();
      expect(result.stdout, `replay --until ${until}`).toBe(exported);
      if (compacting) during += 1;
    }
  };
  const replays = Array.from({ length: 3 }, (_, n) => replayer(n));
  // Two compactions one after the other, replays running all along.
  const compactions: CliResult[] = [];
  for (let round = 0; round < 2; round++) compactions.push(await runCli(['compact', dir]));
  compacting = false;
  await Promise.all(replays);
  for (const compacted of compactions) {
    expectClean(compacted, 'compact');
    expect(compacted.stdout).toMatch(/compacted .*: seqs \d+–\d+/);
  }
  expect(during).toBeGreaterThan(2);
  const verify = await runCli(['replay', dir, '--verify']);
  expectClean(verify, 'replay --verify');
  writing = false;
  await Promise.all(writers);
  expect(written).toBeGreaterThan(0);
  // Everything written after the compactions (in the new live log) is there too.
  const last = await head();
  expect(last).toBeGreaterThan(RECORDS);
  const latest = await runCli(['replay', dir]);
  expectClean(latest, 'replay');
  expect(latest.stdout).toBe(await (await fetch(`${url}/export`)).text());
  expect(JSON.parse(latest.stdout).seq).toBe(last);
  expect(await readdir(join(dir, '.lenslet', 'archive'))).toHaveLength(4);
}, 300_000);
