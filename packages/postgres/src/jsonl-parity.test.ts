import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, type LabelStore, openJsonlStore, type WriteMeta } from '@lenslet/store';
import { expect, test } from 'vitest';
import { openPostgresStore } from './open-postgres-store.ts';
import { freshDatabase, p, quick, useCluster } from './test-support.ts';

const cluster = useCluster();

/** A clock the script moves by 1.5 s per operation (the same times in both stores). */
let step = 0;
const clock = () => new Date(Date.UTC(2026, 2, 1, 9, 0, 0) + step * 1500);

const m = (mutation_id: string, over: Partial<WriteMeta> = {}): WriteMeta => ({
  actor: 'ana',
  mutation_id,
  mode: 'patch',
  ...over,
});

/** The same history for any store; returns a transcript of every answer. */
async function script(store: LabelStore): Promise<unknown[]> {
  const out: unknown[] = [];
  step = 0;
  const note = async (run: () => Promise<unknown>) => {
    step += 1;
    try {
      out.push(await run());
    } catch (error) {
      out.push({ error: (error as { code: string }).code });
    }
  };
  await note(() =>
    store.apply({ path: p('/a.jpg'), patch: { set_star: 4 }, expected_version: 1 }, m('k1')),
  );
  await note(() =>
    store.apply({ path: p('/a.jpg'), patch: { set_star: 2 }, expected_version: 1 }, m('k2')),
  );
  await note(() =>
    store.apply(
      { path: p('/a.jpg'), patch: { set_notes: 'ünïcødé "q" \\ \n' }, expected_version: 1 },
      m('k3', { actor: 'bo' }),
    ),
  );
  await note(() => store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x', 'y'] } }, m('k4')));
  await note(() => store.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, m('k5')));
  await note(() =>
    store.apply({ path: p('/a.jpg'), patch: { set_star: 4 }, expected_version: 1 }, m('k1')),
  );
  await note(() =>
    store.apply({ path: p('/b.jpg'), patch: { set_star: 4 }, expected_version: 1 }, m('k1')),
  );
  await note(() =>
    store.applyBatch(
      ['/a.jpg', '/b.jpg', '/c d.jpg'].map((path) => ({
        path: p(path),
        patch: { set_tags: ['bulk'] },
        last_writer_wins: true,
      })),
      m('k6', { mode: 'bulk' }),
    ),
  );
  await note(() =>
    store.applyBatch(
      ['/b.jpg', '/e.jpg'].map((path) => ({
        path: p(path),
        patch: { set_metrics: { score: 0.25, gone: null } },
      })),
      m('k7', { mode: 'metrics' }),
    ),
  );
  await note(() =>
    store.apply(
      { path: p('/b.jpg'), patch: { set_metrics: { score: null } } },
      m('k8', { mode: 'metrics' }),
    ),
  );
  await note(() =>
    store.apply(
      {
        path: p('/a.jpg'),
        patch: { remove_tags: ['bulk', 'nope'], set_star: null },
        expected_version: 5,
      },
      m('k9', { mode: 'put' }),
    ),
  );
  await note(() =>
    store.apply({ path: p('/a.jpg'), patch: { set_notes: 'late' }, expected_version: 2 }, m('k10')),
  );
  return out;
}

async function transcript(store: LabelStore) {
  const answers = await script(store);
  const lines: string[] = [];
  const labels: unknown[] = [];
  for await (const c of store.replay(0)) {
    lines.push(encodeRecord(c.record));
    labels.push(c.labels);
  }
  return {
    answers,
    lines,
    labels,
    items: new Map(store.items()),
    at4: await store.stateAt(4),
    history: await store.history(p('/a.jpg')),
  };
}

test('the same operations give byte-identical records, answers and states in both stores', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lenslet-parity-'));
  const jsonl = await openJsonlStore(join(root, '.lenslet'), {
    onWarning: () => {},
    clock,
  });
  const pg = await openPostgresStore(await freshDatabase(cluster()), {
    ...quick,
    clock,
  });
  try {
    const expected = await transcript(jsonl);
    const actual = await transcript(pg);
    expect(actual.lines.length).toBeGreaterThan(8);
    expect(actual.lines).toEqual(expected.lines);
    expect(actual.answers).toEqual(expected.answers);
    expect(actual.labels).toEqual(expected.labels);
    expect(actual.items).toEqual(expected.items);
    expect(actual.at4).toEqual(expected.at4);
    expect(actual.history).toEqual(expected.history);
  } finally {
    await jsonl.close();
    await pg.close();
    await rm(root, { recursive: true, force: true });
  }
});
