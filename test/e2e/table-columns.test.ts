/**
 * A served table's columns in the listing and item answers, end to end (the built CLI on a real
 * port, the original's Parquet fixture, checked against rows.json): `GET /folders` items and
 * `/item/detail` carry the row in the original's words (`metrics`, `categoricals`) and Lenslet's
 * (`fields`: asked for with `?fields=` in a listing), a label metric overriding the table value of the same name; `GET /item` and the
 * write answers carry the original's `table_fields`, while their `metrics` stay the labels.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, ROOT, spawnCli } from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';

const FIXTURE = join(ROOT, 'test/fixtures/original-api/table');
const ROWS = join(ROOT, 'test/fixtures/original-table/rows.json');
const ITEM = '/images/batch_a/img_0000.png';

type Row = {
  image_path: string;
  metrics: Record<string, number | null>;
  categoricals: Record<string, string | null>;
  caption: string | null;
  keywords: string[] | null;
};

let dir: string;
let run: CliRun;
let url: string;
let rows: Row[];

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-columns-'));
  await cp(FIXTURE, dir, { recursive: true });
  rows = (JSON.parse(await readFile(ROWS, 'utf8')) as { rows: Row[] }).rows;
  run = spawnCli(['serve', join(dir, 'gallery.parquet'), '--port', '0']);
  const [, found] = await run.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
  url = found!;
}, 120_000);

afterAll(async () => {
  run?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Origin: url,
      'Idempotency-Key': `columns-${method}-${Math.random().toString(36).slice(2)}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return res.json();
}

const withValues = <T>(values: Record<string, T | null>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as Record<string, T>;

test('listings and items carry the row; a label metric overrides the table value', async () => {
  const row = rows.find((r) => `/${r.image_path}` === ITEM)!;
  // `aesthetic` is a table column: the label value overrides it; `mine` exists only as a label.
  await call('PUT', `/item/metrics?path=${ITEM}`, { metrics: { aesthetic: 9.5, mine: 1 } });
  const labelMetrics = { aesthetic: 9.5, mine: 1 };
  const metrics = { ...withValues(row.metrics), ...labelMetrics };
  const categoricals = withValues(row.categoricals);

  const listing = await call('GET', '/folders?path=/images/batch_a&fields=*');
  expect(listing.metric_keys).toEqual([...Object.keys(row.metrics), 'mine'].sort());
  expect(listing.categorical_keys).toEqual(['split', 'style']);
  const listed = listing.items.find((i: { path: string }) => i.path === ITEM);
  expect(listed.metrics).toEqual(metrics);
  expect(listed.mutable_metric_keys.sort()).toEqual(['aesthetic', 'mine']);
  expect(listed.categoricals).toEqual(categoricals);
  expect(listed.fields).toEqual({
    ...row.metrics,
    ...labelMetrics,
    ...row.categoricals,
    caption: row.caption,
    keywords: row.keywords,
  });
  // Every listed item carries its own row (not only the labelled one).
  const other = listing.items.find((i: { path: string }) => i.path !== ITEM);
  const otherRow = rows.find((r) => `/${r.image_path}` === other.path)!;
  expect(other.metrics).toEqual(withValues(otherRow.metrics));
  expect(other.categoricals).toEqual(withValues(otherRow.categoricals));

  // Lenslet's `fields` only when asked (`*` or names): listings of a large table stay lean.
  const lean = await call('GET', '/folders?path=/images/batch_a');
  const leanItem = lean.items.find((i: { path: string }) => i.path === ITEM);
  expect(leanItem.metrics).toEqual(metrics);
  expect(leanItem).not.toHaveProperty('fields');
  const named = await call('GET', '/folders?path=/images/batch_a&fields=aesthetic,caption,nope');
  expect(named.items.find((i: { path: string }) => i.path === ITEM).fields).toEqual({
    aesthetic: 9.5,
    caption: row.caption,
    nope: null,
  });

  const detail = await call('GET', `/item/detail?path=${ITEM}`);
  expect(detail.metrics).toEqual(metrics);
  expect(detail.categoricals).toEqual(categoricals);
  expect(detail.fields).toMatchObject({ aesthetic: 9.5, mine: 1, caption: row.caption });
  expect(detail.source).toBe(row.image_path);

  const tableFields = {
    ...categoricals,
    ...(row.caption === null ? {} : { caption: row.caption }),
  };
  const sidecar = await call('GET', `/item?path=${ITEM}`);
  expect(sidecar.metrics).toEqual(labelMetrics);
  expect(sidecar.table_fields).toEqual(tableFields);
  const patched = await call('PATCH', `/item?path=${ITEM}`, { set_star: 3, base_version: 2 });
  expect(patched.sidecar.star).toBe(3);
  expect(patched.sidecar.table_fields).toEqual(tableFields);
}, 60_000);
