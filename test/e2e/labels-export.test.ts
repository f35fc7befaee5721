/**
 * `GET /export?as_of=N` from a running `lenslet serve` is byte-for-byte what
 * `lenslet replay --until N` prints for the same folder (both use core's encodeExport over the
 * same fold), at several points of a history with every kind of change.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, FIXTURE_GALLERY, runCli, spawnCli } from '@lenslet/test-kit';
import { afterEach, beforeAll, expect, test } from 'vitest';

/** `lenslet replay <dir> <args>`; its stdout, once it exited 0. */
async function replay(dir: string, ...args: string[]): Promise<string> {
  const result = await runCli(['replay', dir, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}
let dir: string | undefined;
let server: CliRun | undefined;

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function patch(url: string, path: string, body: object, user = 'ana') {
  const res = await fetch(`${url}/item?path=${encodeURIComponent(path)}`, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `export-${Math.random().toString(36).slice(2)}-key`,
      'x-lenslet-user': encodeURIComponent(user),
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accepted_event: { seq: number } };
}

test('export as_of N equals lenslet replay --until N, byte for byte', async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-export-'));
  const source = join(FIXTURE_GALLERY, 'transparent.png');
  const names = ['a.png', 'b.png', 'c d.png', 'ünïcode 猫.png'];
  for (const name of names) await copyFile(source, join(dir, name));
  server = spawnCli(['serve', dir, '--watch', 'off']);
  const [, url] = await server.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 60_000);

  const seqs: number[] = [];
  const step = async (path: string, body: object, user?: string) =>
    seqs.push((await patch(url!, path, body, user)).accepted_event.seq);
  await step('/a.png', { base_version: 1, set_star: 4, add_tags: ['cat', 'a,b "quoted"'] });
  await step('/b.png', { base_version: 1, set_notes: 'line 1\nline 2, with comma' }, 'Zoë');
  await step('/ünïcode 猫.png', { set_metrics: { score: 0.125, 'clip:aesthetic': -3 } });
  await step('/a.png', { remove_tags: ['cat'] });
  await step('/c d.png', { add_tags: ['x'] });
  await step('/c d.png', { remove_tags: ['x'] }); // labeled, then not: leaves the export again
  await step('/b.png', { base_version: 2, set_star: 0 });

  for (const n of [0, seqs[1]!, seqs[3]!, seqs[5]!, seqs.at(-1)!]) {
    const exported = await (await fetch(`${url}/export?format=json&as_of=${n}`)).text();
    expect(exported, `as_of ${n}`).toBe(await replay(dir, '--until', String(n)));
  }
  const csv = await (await fetch(`${url}/export?format=csv`)).text();
  expect(csv).toBe(await replay(dir, '--format', 'csv'));
}, 120_000);
