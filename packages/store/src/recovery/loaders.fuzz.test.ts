// Loader fuzzing (issue 6): the log, snapshot and archive files of a real workspace are mutated
// — bit flips, truncations, duplicated / swapped / deleted / inserted lines, edited numbers,
// replaced bytes — and the workspace is opened as the server opens it. The store must either
// refuse with a clear corrupt_log / corrupt_snapshot error, or load *exactly* the state that the
// first `head()` original records project to. A different state, silently, is the one failure
// that loses labels without anyone noticing.
import {
  type CanonicalPath,
  isLensletError,
  type LabelRecord,
  type Labels,
  project,
} from '@lenslet/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { openJsonlStore } from '../jsonl/open-jsonl-store.ts';
import type { CrashFs } from '../testing/crash-fs.ts';
import { crashDisk, deadHolders, meta, p } from '../testing/test-support.ts';
import { openWorkspaceReader } from '../workspace/workspace-reader.ts';

const DIR = '/ws/.lenslet';
/** Runs per property; `npm run fuzz` raises it (LENSLET_FUZZ_RUNS) for a deeper search. */
const RUNS = Number(process.env.LENSLET_FUZZ_RUNS ?? 150);
const quiet = { onWarning: () => {} };

type Files = Map<string, Uint8Array>;
type Workspace = { files: Files; records: LabelRecord[] };

/** Every file under DIR (recursively), by relative name. */
async function readAll(fs: CrashFs, dir = DIR, prefix = ''): Promise<Files> {
  const out: Files = new Map();
  for (const name of await fs.readdir(dir)) {
    const path = `${dir}/${name}`;
    const stat = await fs.stat(path);
    if (stat?.isDirectory) {
      for (const [k, v] of await readAll(fs, path, `${prefix}${name}/`)) out.set(k, v);
    } else if (stat?.isFile) out.set(`${prefix}${name}`, (await fs.readFile(path))!);
  }
  return out;
}

async function writeAll(files: Files): Promise<CrashFs> {
  const fs = await crashDisk();
  await fs.mkdir(DIR);
  for (const [name, bytes] of files) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) await fs.mkdir(`${DIR}/${parts.slice(0, i).join('/')}`);
    const handle = await fs.open(`${DIR}/${name}`, 'w');
    await handle.write(bytes, 0);
    await handle.datasync();
    await handle.close();
  }
  return fs;
}

/** A workspace written by the real store: 60 varied writes, optionally compacted half-way. */
async function buildWorkspace(compactAt: number | null): Promise<Workspace> {
  const fs = await crashDisk();
  const store = await openJsonlStore(DIR, { fs, probe: deadHolders, ...quiet });
  const paths = ['/a.jpg', '/b/c.png', '/猫 café 🐱.jpg', '/صور/مرحبا.png', '/d.webp'];
  for (let i = 0; i < 60; i++) {
    if (i === compactAt) await store.compact();
    const path = p(paths[i % paths.length]!);
    const patch =
      i % 4 === 0
        ? { set_star: i % 6 }
        : i % 4 === 1
          ? { add_tags: [`t${i % 7}`, 'café'] }
          : i % 4 === 2
            ? { set_notes: `note ${i} — ✓`, remove_tags: [`t${(i + 3) % 7}`] }
            : { set_metrics: { score: i / 7, gone: i % 3 === 0 ? null : i } };
    await store.apply({ path, patch, last_writer_wins: true }, meta({ actor: `u${i % 3}` }));
  }
  await store.close();
  const files = await readAll(fs);
  files.delete('lock');
  const records: LabelRecord[] = [];
  const reader = await openWorkspaceReader(DIR, { fs });
  await reader.foldAll((batch) => {
    records.push(...batch.records);
  });
  return { files, records };
}

/** A mutation of one file's bytes (positions are taken modulo the length). */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; line: number; other: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'insert-line'; line: number; text: string }
  | { kind: 'edit-number'; which: number; delta: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }),
  fc.record({
    kind: fc.constant('insert-line' as const),
    line: fc.nat(),
    text: fc.oneof(fc.string(), fc.json(), fc.constant('{}'), fc.constant('')),
  }),
  fc.record({
    kind: fc.constant('edit-number' as const),
    which: fc.nat(),
    delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0),
  }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const buf = Buffer.from(bytes);
  if (buf.length === 0) return buf;
  const lines = () => buf.toString('latin1').split('\n');
  const join = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1');
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(buf);
      out[m.at % buf.length]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return buf.subarray(0, m.at % buf.length);
    case 'byte': {
      const out = Buffer.from(buf);
      out[m.at % buf.length] = m.value;
      return out;
    }
    case 'duplicate-line': {
      const ls = lines();
      const i = m.line % ls.length;
      ls.splice(i, 0, ls[i]!);
      return join(ls);
    }
    case 'swap-lines': {
      const ls = lines();
      const i = m.line % ls.length;
      const j = m.other % ls.length;
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      return join(ls);
    }
    case 'delete-line': {
      const ls = lines();
      ls.splice(m.line % ls.length, 1);
      return join(ls);
    }
    case 'insert-line': {
      const ls = lines();
      ls.splice(m.line % (ls.length + 1), 0, Buffer.from(m.text, 'utf8').toString('latin1'));
      return join(ls);
    }
    case 'edit-number': {
      const text = buf.toString('latin1');
      const numbers = [...text.matchAll(/\d+/g)];
      if (numbers.length === 0) return buf;
      const hit = numbers[m.which % numbers.length]!;
      const edited = String(Math.max(0, Number(hit[0]) + m.delta));
      return Buffer.from(
        text.slice(0, hit.index) + edited + text.slice(hit.index! + hit[0].length),
        'latin1',
      );
    }
  }
}

/** Labels in a comparable form (key order and metric order do not matter). */
function normal(labels: Labels): string {
  const metrics = Object.entries(labels.metrics).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([
    labels.star,
    labels.tags,
    labels.notes,
    metrics,
    labels.version,
    labels.updated_at,
    labels.updated_by,
    labels.field_versions.star,
    labels.field_versions.notes,
    labels.field_versions.tags,
  ]);
}

function normalState(items: ReadonlyMap<CanonicalPath, Labels>): string[] {
  return [...items].map(([path, labels]) => `${path} ${normal(labels)}`).sort();
}

type Outcome = { kind: 'refused'; message: string } | { kind: 'loaded'; head: number };

/** Open the mutated workspace as the server does; check the one property. */
async function openAndCheck(files: Files, records: LabelRecord[]): Promise<Outcome> {
  const fs = await writeAll(files);
  let store: Awaited<ReturnType<typeof openJsonlStore>>;
  try {
    store = await openJsonlStore(DIR, { fs, probe: deadHolders, ...quiet });
  } catch (error) {
    // Refusing is fine, but only as a LensletError that names the problem.
    if (!isLensletError(error)) throw error;
    expect(['corrupt_log', 'corrupt_snapshot']).toContain(error.code);
    expect(error.message).toMatch(/labels\.|archive|snapshot|log/);
    return { kind: 'refused', message: error.message };
  }
  try {
    const head = store.head();
    expect(head).toBeLessThanOrEqual(records.length);
    const expected = project(records.slice(0, head));
    expect(normalState(store.items())).toEqual(normalState(expected.items));
    return { kind: 'loaded', head };
  } finally {
    await store.close();
  }
}

type Expect = {
  /** Some mutations must be refused (false: every damage is repairable, e.g. a snapshot beside
   *  the whole log is rebuilt from it, so everything must load — and load every record). */
  readonly refusals: boolean;
};

function fuzzFiles(
  name: string,
  workspace: () => Workspace,
  pickFile: (files: Files) => fc.Arbitrary<string>,
  prepare: (files: Files) => Files = (f) => f,
  expectation: Expect = { refusals: true },
) {
  test(name, async () => {
    const { files, records } = workspace();
    const outcomes = { refused: 0, loaded: 0, exact: 0 };
    const base = prepare(new Map(files));
    await fc.assert(
      fc.asyncProperty(
        pickFile(base).chain((file) => fc.tuple(fc.constant(file), mutation)),
        async ([file, m]) => {
          const mutated = new Map(base);
          mutated.set(file, mutate(base.get(file)!, m));
          const outcome = await openAndCheck(mutated, records);
          outcomes[outcome.kind] += 1;
          if (outcome.kind === 'loaded' && outcome.head === records.length) outcomes.exact += 1;
        },
      ),
      { numRuns: RUNS },
    );
    // The property is not vacuous: damage was both noticed and survived.
    expect(outcomes.loaded).toBeGreaterThan(0);
    if (expectation.refusals) expect(outcomes.refused).toBeGreaterThan(0);
    else expect(outcomes).toEqual({ refused: 0, loaded: RUNS, exact: RUNS });
  }, 120_000);
}

describe('a mutated workspace loads exactly right or is refused', () => {
  let plain: Workspace;
  let compacted: Workspace;
  beforeAll(async () => {
    plain = await buildWorkspace(null);
    compacted = await buildWorkspace(30);
  });

  test('the unmutated workspaces load every record', async () => {
    expect(plain.records).toHaveLength(60);
    expect(compacted.records).toHaveLength(60);
    expect(await openAndCheck(plain.files, plain.records)).toEqual({ kind: 'loaded', head: 60 });
    expect(await openAndCheck(compacted.files, compacted.records)).toEqual({
      kind: 'loaded',
      head: 60,
    });
  });

  const withoutSnapshot = (files: Files) => {
    files.delete('labels.snapshot.json');
    return files;
  };
  fuzzFiles(
    'the log alone (no snapshot): the whole log is folded',
    () => plain,
    () => fc.constant('labels.log.jsonl'),
    withoutSnapshot,
  );
  fuzzFiles(
    'the log beside a snapshot',
    () => plain,
    () => fc.constant('labels.log.jsonl'),
  );
  fuzzFiles(
    'the snapshot beside a whole log: always rebuilt, every record loaded',
    () => plain,
    () => fc.constant('labels.snapshot.json'),
    (f) => f,
    { refusals: false },
  );
  fuzzFiles(
    'any file of a compacted workspace (archive, indexes, snapshot, live log)',
    () => compacted,
    (files) => fc.constantFrom(...[...files.keys()].filter((n) => n !== 'labels.meta.json')),
  );
  fuzzFiles(
    'the archive of a compacted workspace without its snapshot',
    () => compacted,
    (files) => fc.constantFrom(...[...files.keys()].filter((n) => n.startsWith('archive/'))),
    withoutSnapshot,
  );
});
