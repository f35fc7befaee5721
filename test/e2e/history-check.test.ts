/**
 * Damage in the part of the log a snapshot covers is not read at start-up (issue 12). `lenslet
 * serve` starts anyway (its banner says the check runs), checks that history in the background,
 * and says what it found: a warning on the terminal, `/health` (`ok: false`,
 * `labels.integrity.history`), while writes go on.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthAnswer } from '@lenslet/core';
import { openJsonlStore } from '@lenslet/store';
import { type CliRun, ensureBuilt, FIXTURE_GALLERY, spawnCli, until } from '@lenslet/test-kit';
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

const RECORDS = 3_000;
const DAMAGED_LINE = 1_234;

/** A served folder whose log is covered by a snapshot; log line `damage` then fails its crc. */
async function workspaceWithCoveredHistory(damage: number | null): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-history-check-'));
  await copyFile(join(FIXTURE_GALLERY, 'transparent.png'), join(dir, 'a.png'));
  const workspace = join(dir, '.lenslet');
  generateLog(workspace, RECORDS, 200);
  // A clean open and close leaves a snapshot at the head: the records are now "covered".
  const store = await openJsonlStore(workspace, { onWarning: () => {} });
  expect(store.head()).toBe(RECORDS);
  await store.close();
  if (damage === null) return dir;
  const log = join(workspace, 'labels.log.jsonl');
  const lines = (await readFile(log, 'utf8')).split('\n');
  const target = lines[damage - 1]!;
  expect(target).toContain(`"seq":${damage},`);
  // One flipped letter: still JSON, but its crc no longer matches (bit rot, a bad sector).
  lines[damage - 1] = target.replace('"actor":"user', '"actor":"uzer');
  expect(lines[damage - 1]).not.toBe(target);
  await writeFile(log, lines.join('\n'));
  return dir;
}

test('serve starts on damaged covered history, then /health and the terminal report it', async () => {
  const folder = await workspaceWithCoveredHistory(DAMAGED_LINE);
  server = spawnCli(['serve', folder, '--watch', 'off']);
  const [, url] = await server.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 60_000);
  const health = async () => (await (await fetch(`${url}/health`)).json()) as HealthAnswer;
  // The banner says the check runs (or, if it was that quick, what it found).
  expect(server.stdout).toMatch(
    new RegExp(
      `History: +(checking seqs up to 3,000 in the background|damaged: .*line ${DAMAGED_LINE}:)`,
    ),
  );
  // Start-up read only the snapshot: the server is up and writing before the check ends.
  expect((await health()).labels.seq).toBe(RECORDS);
  let last: HealthAnswer | undefined;
  await until(
    async () => {
      last = await health();
      return last.labels.integrity.history.state === 'damaged';
    },
    60_000,
    'the history check reports the damage',
  );
  const history = last!.labels.integrity.history;
  expect(last!.ok).toBe(false);
  expect(history.through_seq).toBe(RECORDS);
  expect(history.problem).toMatch(
    new RegExp(`labels\\.log\\.jsonl line ${DAMAGED_LINE}: .*crc.*lenslet compact --repair`),
  );
  await until(
    async () => server!.stderr.includes('the background check of the history found damage'),
    10_000,
    'a warning on the terminal',
  );
  expect(server.stderr).toMatch(new RegExp(`labels\\.log\\.jsonl line ${DAMAGED_LINE}:`));
  // Writes go on: new labels are still saved.
  const res = await fetch(`${url}/item?path=${encodeURIComponent('/a.png')}`, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'after-damage-0123456789',
      'x-lenslet-user': 'ana',
    },
    body: JSON.stringify({ add_tags: ['still-saved'] }),
  });
  expect(res.status).toBe(200);
  expect((await health()).labels.seq).toBe(RECORDS + 1);
}, 180_000);

test('an undamaged history is checked and reported ok', async () => {
  const folder = await workspaceWithCoveredHistory(null);
  server = spawnCli(['serve', folder, '--watch', 'off']);
  const [, url] = await server.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 60_000);
  let last: HealthAnswer | undefined;
  await until(
    async () => {
      last = (await (await fetch(`${url}/health`)).json()) as HealthAnswer;
      return last.labels.integrity.history.state === 'ok';
    },
    60_000,
    'the history check finishes',
  );
  expect(last!.ok).toBe(true);
  expect(last!.labels.integrity.history).toEqual({
    state: 'ok',
    through_seq: RECORDS,
    problem: null,
  });
  expect(server.stderr).not.toContain('found damage');
}, 180_000);
