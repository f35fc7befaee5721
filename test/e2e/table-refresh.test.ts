/**
 * A served table and the original Lenslet's table-mode words in `/health`, end to end (the
 * built CLI on a real port): `POST /refresh` reloads a rewritten table before it answers (the
 * poll alone needs two quiet polls, over a second); `table_launch_status` names the image column
 * and the rows, and says `stale` (with the reason) while a broken rewrite keeps the last good
 * version served; `launch_session` names the table file.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, ROOT, spawnCli } from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';

const IMAGES = join(ROOT, 'test/fixtures/original-api/table/images/batch_a');

let dir: string;
let run: CliRun;
let url: string;
let table: string;
const line = (path: string, score: number) => JSON.stringify({ path, score });

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-refresh-'));
  await cp(IMAGES, dir, { recursive: true });
  table = join(dir, 'scores.jsonl');
  await writeFile(table, `${[line('img_0000.png', 1), line('img_0003.png', 2)].join('\n')}\n`);
  run = spawnCli(['serve', table, '--port', '0']);
  const [, found] = await run.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
  url = found!;
}, 120_000);

afterAll(async () => {
  run?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
const health = async (): Promise<any> => (await fetch(`${url}/health`)).json();

test('POST /refresh reloads a rewritten table; /health says what is served', async () => {
  const before = await health();
  expect(before.launch_session).toMatchObject({
    kind: 'local_parquet',
    title_label: 'scores.jsonl',
  });
  expect(before.refresh.enabled).toBe(false);
  expect(before.table_launch_status).toMatchObject({
    source_column: 'path',
    gallery_rows: 2,
    source_table_rows: 2,
    source_refresh: { state: 'current', generation: '1', message: null },
  });

  await writeFile(
    table,
    `${[line('img_0000.png', 1), line('img_0006.png', 3), line('img_0003.png', 2)].join('\n')}\n`,
  );
  const refreshed = await fetch(`${url}/refresh`, { method: 'POST', headers: { Origin: url } });
  expect(refreshed.status).toBe(200);
  expect(await refreshed.json()).toMatchObject({
    ok: true,
    note: expect.stringMatching(/reloaded/),
  });
  const listing = await (await fetch(`${url}/folders?path=/`)).json();
  expect(listing.items.map((i: { path: string }) => i.path).sort()).toEqual([
    '/img_0000.png',
    '/img_0003.png',
    '/img_0006.png',
  ]);
  expect((await health()).table_launch_status).toMatchObject({
    gallery_rows: 3,
    source_refresh: { state: 'current', generation: '2' },
  });

  await writeFile(table, `${line('img_0000.png', 1)}\n{"path": "img_0003.png", "score":\n`);
  await fetch(`${url}/refresh`, { method: 'POST', headers: { Origin: url } });
  const broken = (await health()).table_launch_status;
  expect(broken).toMatchObject({
    gallery_rows: 3,
    source_refresh: { state: 'stale', generation: '2' },
  });
  expect(broken.source_refresh.message).toContain('scores.jsonl');
  expect(broken.warnings).toEqual([expect.stringContaining('scores.jsonl')]);
}, 60_000);
