/**
 * `POST /export`, `GET /export` and `GET /search` over a served Parquet table, end to end: the
 * built CLI on a real port, a table written by DuckDB in the test (zstd, several row groups,
 * nulls), labels written over HTTP — one label metric overriding a table value, one giving a
 * value to a row whose table cell is null, one label-only metric — and every answer checked
 * against a direct computation over the rows the test wrote.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type CliRun, ensureBuilt, spawnCli } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const STYLES = ['anime', 'photo', 'sketch'];
const RARE = 'zephyrine';

type Row = {
  path: string;
  aesthetic: number | null;
  clip: number;
  style: string | null;
  caption: string;
};

const rows: Row[] = Array.from({ length: 120 }, (_, i) => ({
  path: `images/${i % 2 === 0 ? 'a' : 'b'}/img_${String(i).padStart(3, '0')}.png`,
  aesthetic: i % 9 === 0 ? null : ((i * 37) % 100) / 10,
  clip: ((i * 13) % 50) / 50,
  style: i % 11 === 0 ? null : STYLES[i % 3]!,
  caption: `caption ${i % 17 === 5 ? `${RARE} ` : ''}number ${i}`,
}));
/** Row 7's image file is never written: listed, marked missing. */
const MISSING = 7;

/** Label writes by row: metrics override (3, 70), fill a null (18), or are label-only (12). */
const LABELS: Record<number, Record<string, unknown>> = {
  3: { set_metrics: { aesthetic: 9.95 } },
  70: { set_metrics: { aesthetic: 0.05 } },
  18: { set_metrics: { aesthetic: 9.5 } },
  12: { set_metrics: { novelty: 3 } },
  4: { set_star: 5, add_tags: ['keep'] },
  30: { add_tags: [`${RARE}-fan`], set_notes: 'Seen twice' },
  [MISSING]: { set_star: 2 },
};

const pathOf = (i: number) => `/${rows[i]!.path}`;
const labelMetric = (i: number, name: string) =>
  (LABELS[i]?.set_metrics as Record<string, number> | undefined)?.[name];
/** The value every query filters on: the label metric when written, else the table's. */
const aesthetic = (i: number) => labelMetric(i, 'aesthetic') ?? rows[i]!.aesthetic;
const byPath = (a: number, b: number) => (pathOf(a) < pathOf(b) ? -1 : 1);
const indexes = rows.map((_, i) => i);
const present = (i: number) => i !== MISSING;

let dir: string;
let run: CliRun;
let url: string;

function sqlValue(v: string | number | null): string {
  return v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;
}

async function writeTable(file: string): Promise<void> {
  const values = rows
    .map((r) => `(${[r.path, r.aesthetic, r.clip, r.style, r.caption].map(sqlValue).join(', ')})`)
    .join(',\n');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(
      `COPY (SELECT path AS image_path, CAST(aesthetic AS DOUBLE) AS aesthetic,
               CAST(clip AS DOUBLE) AS clip, CAST(style AS VARCHAR) AS style, caption
             FROM (VALUES ${values}) t(path, aesthetic, clip, style, caption))
       TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 32)`,
    );
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Origin: url,
      'Idempotency-Key': `table-export-${Math.random().toString(36).slice(2)}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

// biome-ignore lint/suspicious/noExplicitAny: export lines are read field by field
async function exportJsonl(body: object): Promise<any[]> {
  const res = await call('POST', '/export', { format: 'jsonl', ...body });
  expect(res.status, res.text).toBe(200);
  return res.text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-table-export-'));
  // A real 1×1 PNG for every row but MISSING.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  for (const folder of ['a', 'b']) await mkdir(join(dir, 'images', folder), { recursive: true });
  for (const i of indexes) if (present(i)) await writeFile(join(dir, rows[i]!.path), png);
  await writeTable(join(dir, 'scores.parquet'));
  run = spawnCli(['serve', join(dir, 'scores.parquet'), '--port', '0']);
  const [, found] = await run.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
  url = found!;
  for (const [i, patch] of Object.entries(LABELS)) {
    const res = await call('PATCH', `/item?path=${encodeURIComponent(pathOf(Number(i)))}`, {
      base_version: 1,
      ...patch,
    });
    expect(res.status, res.text).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  run?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('POST /export on the engine', () => {
  test('metric range (label metrics overriding the table) + categorical include: rows and fields', async () => {
    const expected = indexes
      .filter((i) => {
        const v = aesthetic(i);
        const style = rows[i]!.style;
        return (
          present(i) && v !== null && v >= 9 && v <= 10 && (style === 'anime' || style === 'photo')
        );
      })
      .sort(byPath);
    // Rows 3 and 18 get in by their label metric; row 70's table value (9.0) is overridden out.
    expect(expected).toEqual(expect.arrayContaining([3, 18]));
    expect(rows[70]!.aesthetic).toBe(9);
    expect(expected).not.toContain(70);
    const filters = {
      metrics: { aesthetic: { min: 9, max: 10 } },
      values: { style: { in: ['anime', 'photo'] } },
    };
    const lines = await exportJsonl({ filters, labeled_only: false });
    expect(lines.map((l) => l.path)).toEqual(expected.map(pathOf));
    for (const [n, line] of lines.entries()) {
      const i = expected[n]!;
      expect(line.fields).toEqual({
        aesthetic: aesthetic(i),
        clip: rows[i]!.clip,
        style: rows[i]!.style,
        caption: rows[i]!.caption,
      });
      expect(line.present).toBe(true);
    }
    const three = lines.find((l) => l.path === pathOf(3));
    expect(three.metrics).toEqual({ aesthetic: 9.95 });
    // The same filters in a query find the same rows.
    const query = JSON.parse(
      (await call('POST', '/folders/query', { recursive: true, filters, limit: 1000 })).text,
    );
    expect(query.filtered_total).toBe(expected.length);
    // Labeled only (the default): of those, the rows with labels.
    const labeled = await exportJsonl({ filters });
    expect(labeled.map((l) => l.path)).toEqual(expected.filter((i) => i in LABELS).map(pathOf));
  });

  test('derived score range, categorical exclude and present: CSV with @derived', async () => {
    const score = (i: number) => {
      const v = aesthetic(i);
      return v === null ? null : v + 10 * rows[i]!.clip;
    };
    const expected = indexes
      .filter((i) => {
        const s = score(i);
        return present(i) && s !== null && s >= 11 && rows[i]!.style !== 'anime';
      })
      .sort(byPath);
    // Row 70 would pass on its table value (9 + 10 × 0.2); its label metric (0.05) keeps it out.
    expect(rows[70]!.aesthetic! + 10 * rows[70]!.clip).toBeGreaterThanOrEqual(11);
    expect(expected).not.toContain(70);
    const res = await call('POST', '/export', {
      format: 'csv',
      labeled_only: false,
      derived: { formula: 'aesthetic + 10*clip' },
      filters: {
        metrics: { '@derived': { min: 11 } },
        values: { style: { not_in: ['anime'] } },
        present: ['aesthetic'],
      },
    });
    expect(res.status, res.text).toBe(200);
    const lines = res.text.split('\r\n').filter((l) => l !== '');
    const header = lines[0]!.split(',');
    expect(header.slice(-5)).toEqual([
      'fields.aesthetic',
      'fields.clip',
      'fields.style',
      'fields.caption',
      'fields.@derived',
    ]);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(expected.map(pathOf));
    const derivedAt = header.indexOf('fields.@derived');
    for (const [n, line] of lines.slice(1).entries()) {
      expect(Number(line.split(',')[derivedAt])).toBeCloseTo(score(expected[n]!)!, 9);
    }
  });

  test('missing, stars, tags, notes and text (paths, text columns, tags) filter as in a query', async () => {
    const paths = async (body: object) =>
      (await exportJsonl({ labeled_only: false, ...body })).map((l) => l.path);
    const sorted = (keep: (i: number) => boolean) =>
      indexes
        .filter((i) => present(i) && keep(i))
        .sort(byPath)
        .map(pathOf);
    expect(await paths({ filters: { missing: ['aesthetic'] } })).toEqual(
      sorted((i) => aesthetic(i) === null),
    );
    expect(await paths({ filters: { star: [5] } })).toEqual([pathOf(4)]);
    expect(await paths({ filters: { tags: { any: ['keep'] } } })).toEqual([pathOf(4)]);
    expect(await paths({ filters: { notes: 'twice' } })).toEqual([pathOf(30)]);
    expect(await paths({ text_query: RARE })).toEqual(
      sorted((i) => rows[i]!.caption.includes(RARE) || i === 30),
    );
    expect(await paths({ text_query: `images/b ${RARE}` })).toEqual(
      sorted((i) => i % 2 === 1 && (rows[i]!.caption.includes(RARE) || i === 30)),
    );
  });
});

describe('GET /export and GET /search', () => {
  test('GET /export: every labeled row with its fields; a missing file is present:false', async () => {
    const res = await call('GET', '/export?format=json');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    const labeled = Object.keys(LABELS).map(Number).sort(byPath);
    expect(Object.keys(body.items)).toEqual(labeled.map(pathOf));
    for (const i of labeled) {
      expect(body.items[pathOf(i)].fields.aesthetic).toBe(aesthetic(i));
      expect(body.items[pathOf(i)].fields.novelty).toBeUndefined();
    }
    expect(body.items[pathOf(12)].metrics).toEqual({ novelty: 3 });
    const jsonl = await call('GET', '/export?format=jsonl&fields=clip,width,nope');
    const lines = jsonl.text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.path, l.present])).toEqual(
      labeled.map((i) => [pathOf(i), present(i)]),
    );
    expect(lines[0].fields).toEqual({ clip: rows[labeled[0]!]!.clip, width: 1, nope: null });
    const none = await call('GET', '/export?format=jsonl&fields=');
    expect(none.text).not.toContain('"fields"');
  });

  test('GET /search: the text query of the engine, in path order, total counted', async () => {
    const expected = indexes
      .filter((i) => rows[i]!.caption.includes(RARE) || i === 30)
      .sort(byPath)
      .map(pathOf);
    const res = await call('GET', `/search?q=${RARE}&limit=3`);
    const body = JSON.parse(res.text);
    expect(body.total).toBe(expected.length);
    expect(body.items.map((i: { path: string }) => i.path)).toEqual(expected.slice(0, 3));
    const rest = JSON.parse((await call('GET', `/search?q=${RARE}&offset=3`)).text);
    expect(rest.items.map((i: { path: string }) => i.path)).toEqual(expected.slice(3));
    const quoted = JSON.parse((await call('GET', '/search?q=%22number%2012%22')).text);
    expect(quoted.items.map((i: { path: string }) => i.path)).toEqual(
      indexes
        .filter((i) => rows[i]!.caption.includes('number 12'))
        .sort(byPath)
        .map(pathOf),
    );
  });
});
