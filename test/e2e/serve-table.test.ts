/**
 * `lenslet serve <table>` end to end: the built CLI on a real port, over the original's Parquet
 * fixture (answers checked against a direct computation over rows.json) and over a small JSONL
 * table that is rewritten while a live stream is open (the reload reaches it as `table-updated`,
 * labels follow the item path, a broken rewrite keeps the last good version and /health says why).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, ensureBuilt, ROOT, spawnCli } from '@lenslet/test-kit';
import { createParser } from 'eventsource-parser';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';

const FIXTURE = join(ROOT, 'test/fixtures/original-api/table');
const ROWS = join(ROOT, 'test/fixtures/original-table/rows.json');

type Row = {
  image_path: string;
  metrics: Record<string, number | null>;
  categoricals: Record<string, string | null>;
};

let dir: string;
const running = new Set<CliRun>();

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-e2e-table-'));
});

afterEach(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  running.clear();
  await rm(dir, { recursive: true, force: true });
});

async function serve(args: string[]): Promise<string> {
  const run = spawnCli(['serve', ...args, '--port', '0']);
  running.add(run);
  const [, url] = await run.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
  return url!;
}

/** The original's clients send these with every query in its dialect. */
const OWNERSHIP = { 'X-Lenslet-Client-Session': 'e2e-tab', 'X-Lenslet-Query-Revision': '1' };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** A live stream: every event parsed with eventsource-parser; `next(name)` waits for one. */
async function openStream(url: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/events`, { signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const waiters: (() => void)[] = [];
  const parser = createParser({
    onEvent(e) {
      events.push({ event: e.event ?? 'message', data: JSON.parse(e.data) });
      for (const wake of waiters.splice(0)) wake();
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted
    }
  })();
  let seen = 0;
  return {
    async next(name: string, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = events.findIndex((e, i) => i >= seen && e.event === name);
        if (at >= 0) {
          seen = at + 1;
          return events[at]!.data;
        }
        if (Date.now() > deadline) throw new Error(`no ${name} event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => controller.abort(),
  };
}

describe('lenslet serve gallery.parquet (the original fixture)', () => {
  let url: string;
  let rows: Row[];
  beforeEach(async () => {
    await cp(FIXTURE, join(dir, 'served'), { recursive: true });
    rows = (JSON.parse(await readFile(ROWS, 'utf8')) as { rows: Row[] }).rows;
    url = await serve([join(dir, 'served/gallery.parquet')]);
  }, 90_000);

  test('health says table mode; a range filter and a metric sort match a direct computation', async () => {
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ ok: true, mode: 'table' });
    expect(health.workspace).toBe(join(dir, 'served/gallery.lenslet'));
    expect(health.tables).toEqual([
      expect.objectContaining({
        prefix: '/',
        name: 'gallery.parquet',
        format: 'parquet',
        state: 'ready',
        rows: rows.length,
        path_column: 'image_path',
        error: null,
      }),
    ]);
    const inRange = rows
      .filter((r) => {
        const v = r.metrics.aesthetic;
        return v !== null && v !== undefined && v >= 5 && v <= 8;
      })
      .sort(
        (a, b) =>
          b.metrics.aesthetic! - a.metrics.aesthetic! || (a.image_path < b.image_path ? -1 : 1),
      );
    const answer = await post(`${url}/folders/query`, {
      path: '/',
      recursive: true,
      limit: 5,
      filters: { metrics: { aesthetic: { min: 5, max: 8 } } },
      sort: { by: 'metric', key: 'aesthetic', dir: 'desc' },
      fields: ['aesthetic', 'style'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(rows.length);
    expect(answer.body.filtered_total).toBe(inRange.length);
    expect(answer.body.items.map((i: { path: string }) => i.path)).toEqual(
      inRange.slice(0, 5).map((r) => `/${r.image_path}`),
    );
    expect(answer.body.items[0].fields).toEqual({
      aesthetic: inRange[0]!.metrics.aesthetic,
      style: inRange[0]!.categoricals.style,
    });
  });

  test("the original's dialect: query totals and facet counts match a direct computation", async () => {
    const test = rows.filter((r) => r.categoricals.split === 'test');
    const filters = { and: [{ categoricalIn: { key: 'split', values: ['test'] } }] };
    const query = await post(
      `${url}/folders/query`,
      {
        path: '/',
        recursive: true,
        limit: 3,
        filters,
        sort: { kind: 'metric', key: 'aesthetic', dir: 'asc' },
        text_query: null,
      },
      OWNERSHIP,
    );
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ scope_total: rows.length, filtered_total: test.length });
    const facets = await post(
      `${url}/folders/facets`,
      { path: '/', recursive: true, filters, sort: { kind: 'builtin', key: 'added', dir: 'desc' } },
      OWNERSHIP,
    );
    const refused = await post(
      `${url}/folders/facets`,
      { path: '/', filters },
      {
        'X-Lenslet-Client-Session': 'e2e-tab',
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/X-Lenslet-Query-Revision/);
    expect(facets.status).toBe(200);
    expect(facets.body.total_items).toBe(test.length);
    const styles = new Map<string, number>();
    for (const r of test) {
      const s = r.categoricals.style;
      if (s) styles.set(s, (styles.get(s) ?? 0) + 1);
    }
    const counted = Object.fromEntries(
      facets.body.categoricals.style.values.map(
        (v: { value: string; population_count: number }) => [v.value, v.population_count],
      ),
    );
    expect(counted).toEqual(Object.fromEntries(styles));
    const withAesthetic = test.filter((r) => typeof r.metrics.aesthetic === 'number').length;
    expect(facets.body.metrics.aesthetic.histogram.count).toBe(withAesthetic);
  });

  test('a bad derived formula is a 400 naming where', async () => {
    const answer = await post(`${url}/folders/query`, {
      path: '/',
      recursive: true,
      derived: { formula: '0.7*aesthetic + * clip_score' },
      sort: { by: 'metric', key: '@derived', dir: 'desc' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/position|column|at \d+/i);
  });
});

describe('a JSONL table rewritten while it is served', () => {
  let url: string;
  const line = (path: string, score: number) => JSON.stringify({ path, score });

  test('the reload reaches an open stream, labels follow the path, a broken rewrite keeps the last good version', async () => {
    const images = join(dir, 'data');
    await cp(join(FIXTURE, 'images/batch_a'), images, { recursive: true });
    const table = join(images, 'scores.jsonl');
    await writeFile(
      table,
      `${[line('img_0000.png', 1), line('img_0003.png', 2), line('img_0006.png', 3)].join('\n')}\n`,
    );
    url = await serve([table]);
    const starred = await fetch(`${url}/item?path=/img_0003.png`, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'table-e2e-1',
        Origin: url,
      },
      body: JSON.stringify({ set_star: 4, base_version: 1 }),
    });
    expect(starred.status).toBe(200);

    const stream = await openStream(url);
    await stream.next('hello');
    // Re-sorted, one row changed, one removed, one added.
    await writeFile(
      table,
      `${[line('img_0009.png', 4), line('img_0006.png', 30), line('img_0003.png', 2)].join('\n')}\n`,
    );
    expect(await stream.next('table-updated')).toEqual({
      prefix: '/',
      generation: 2,
      state: 'ready',
      rows: 3,
      added: 1,
      removed: 1,
      changed: 1,
      error: null,
    });
    const after = await post(`${url}/folders/query`, {
      path: '/',
      recursive: true,
      sort: { by: 'metric', key: 'score', dir: 'desc' },
      fields: ['score'],
    });
    expect(
      after.body.items.map((i: { path: string; star: number | null; fields: object }) => [
        i.path,
        i.star,
        i.fields,
      ]),
    ).toEqual([
      ['/img_0006.png', null, { score: 30 }],
      ['/img_0009.png', null, { score: 4 }],
      ['/img_0003.png', 4, { score: 2 }],
    ]);

    await writeFile(table, `${line('img_0000.png', 1)}\n{"path": "img_0003.png", "score":\n`);
    const failed = (await stream.next('table-updated')) as { state: string; error: string };
    expect(failed).toMatchObject({ state: 'error', generation: 2, rows: 3 });
    expect(failed.error).toContain('scores.jsonl');
    const health = await (await fetch(`${url}/health`)).json();
    expect(health.tables[0]).toMatchObject({ state: 'error', generation: 2, rows: 3 });
    expect(health.tables[0].error).toBe(failed.error);
    const still = await post(`${url}/folders/query`, { path: '/', recursive: true });
    expect(still.body.filtered_total).toBe(3);
    stream.close();
  }, 90_000);
});

describe("the original's labels kept beside a table", () => {
  test('are imported into a new workspace; the files beside the table are left as they were', async () => {
    const table = join(dir, 'scores.csv');
    await writeFile(table, 'path,score\nx.jpg,0.5\ny.jpg,0.7\n');
    const original = join(ROOT, 'test/fixtures/legacy-workspace/log-only/labels.log.jsonl');
    const beside = `${table}.lenslet.labels.log.jsonl`;
    await cp(original, beside);
    const run = spawnCli(['serve', table, '--port', '0']);
    running.add(run);
    const [, url] = await run.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
    expect(run.stderr).toContain(
      `Importing the original Lenslet's labels kept beside the table: ${beside}`,
    );
    const item = await (await fetch(`${url}/item?path=/x.jpg`)).json();
    expect(item).toMatchObject({ path: '/x.jpg', tags: ['solo'] });
    expect(await readFile(beside, 'utf8')).toBe(await readFile(original, 'utf8'));
    // Labeled since: a restart does not import again (the workspace holds labels now).
    run.child.kill('SIGTERM');
    await run.exited;
    running.delete(run);
    const again = spawnCli(['serve', table, '--port', '0']);
    running.add(again);
    const [, url2] = await again.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 60_000);
    expect(again.stderr).not.toContain('Importing the original');
    expect(await (await fetch(`${url2}/item?path=/x.jpg`)).json()).toMatchObject({
      tags: ['solo'],
    });
  });
});
