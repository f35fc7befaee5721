/**
 * The soak's final checks, against the log on disk after the server stopped:
 * - every acknowledged write has its record at the acknowledged seq (same key, path, version),
 *   and the labels right after that record are exactly the labels the answer promised;
 * - no (idempotency key, path) has two records (no write applied twice), and no record carries
 *   a key no client sent;
 * - every seq a listener was shown is the record the log holds at that seq;
 * - every listener ended with the server's labels;
 * - `lenslet replay --verify` passes and `lenslet replay` prints exactly the server's export;
 * - the server wrote nothing unexpected to stderr, and every 5xx fell inside an injected fault.
 */
import {
  type CanonicalPath,
  EMPTY_LABELS,
  foldInto,
  isLabeled,
  type LabelRecord,
  type Labels,
} from '@lenslet/core';
import { openWorkspaceReader } from '@lenslet/store';
import type { LabelsSeen, Ledger } from './ledger.ts';

/** Export / replay JSON: `{"seq":N,"items":{path: labels}}`. */
export type ExportJson = {
  readonly seq: number;
  readonly items: Readonly<Record<string, LabelsSeen>>;
};

/** Lines a healthy server may print on stderr during a soak (crash recovery, injected faults). */
const EXPECTED_STDERR: readonly RegExp[] = [
  /^LENSLET_TEST_FAULTS=1: disk fault injection is on/,
  /^lenslet: warning: taking over the workspace lock of pid \d+ on .+, which is no longer running$/,
  /^lenslet: warning: labels\.log\.jsonl ends with \d+ bytes of an interrupted write at line \d+ \(.*\); cut them off and saved them to .+$/,
  /^lenslet: warning: .*injected .* failure/,
  /^lenslet: warning: \S+\.idx is missing or damaged; rebuilding it from \S+$/,
  /^SIGTERM: stopping \(press Ctrl-C again to force\)…$/,
  /^Stopped\. Every acknowledged label is on disk\.$/,
];

/** Extra lines the caller expects (e.g. the browser outbox). */
export function unexpectedStderr(stderr: string, extra: readonly RegExp[] = []): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .filter((line) => ![...EXPECTED_STDERR, ...extra].some((pattern) => pattern.test(line)));
}

export function sameLabels(a: LabelsSeen, b: LabelsSeen): boolean {
  return (
    a.star === b.star &&
    a.notes === b.notes &&
    a.version === b.version &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    JSON.stringify(sortKeys(a.metrics)) === JSON.stringify(sortKeys(b.metrics))
  );
}

function sortKeys(o: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const describe = (l: LabelsSeen) =>
  JSON.stringify({
    star: l.star,
    tags: l.tags,
    notes: l.notes.slice(0, 40),
    metrics: l.metrics,
    version: l.version,
  });

/** Read every record of the workspace (archives included), in seq order. */
export async function readAllRecords(workspace: string): Promise<LabelRecord[]> {
  const reader = await openWorkspaceReader(workspace);
  const records: LabelRecord[] = [];
  await reader.foldAll((batch) => {
    for (const record of batch.records) records.push(record);
  });
  return records;
}

export type LogFacts = { records: number; head: number };

/** The checks that need the log: acks, duplicates, phantom keys, what the streams showed. */
export async function checkLog(
  ledger: Ledger,
  workspace: string,
  exempt: (record: LabelRecord) => boolean,
): Promise<LogFacts> {
  const records = await readAllRecords(workspace);
  const bySeq = new Map<number, LabelRecord>();
  const after = new Map<number, Labels>();
  const applied = new Map<string, number>();
  let expected = 1;
  // The log folded with core's one fold; each record is checked as it is applied.
  foldInto(new Map<CanonicalPath, Labels>(), records, 0, (record, labels) => {
    if (record.seq !== expected) {
      ledger.violation(`log: seq ${record.seq} where ${expected} was expected`);
      expected = record.seq;
    }
    expected += 1;
    bySeq.set(record.seq, record);
    after.set(record.seq, labels);
    const pair = `${record.mutation_id} ${record.path}`;
    const times = (applied.get(pair) ?? 0) + 1;
    applied.set(pair, times);
    if (times === 2) {
      ledger.violation(
        `applied twice: key ${record.mutation_id} on ${record.path} (second at seq ${record.seq})`,
      );
    }
    if (!ledger.keys.has(record.mutation_id) && !exempt(record)) {
      ledger.violation(
        `phantom record at seq ${record.seq}: key ${record.mutation_id} was never sent`,
      );
    }
  });
  for (const ack of ledger.acks) {
    const record = bySeq.get(ack.seq);
    if (!record) {
      ledger.violation(
        `LOST: ${ack.key} on ${ack.path} was acknowledged at seq ${ack.seq} but the log has no such seq`,
      );
      continue;
    }
    if (record.mutation_id !== ack.key || record.path !== ack.path) {
      ledger.violation(
        `LOST: ${ack.key} on ${ack.path} was acknowledged at seq ${ack.seq}, but that seq is ${record.mutation_id} on ${record.path}`,
      );
      continue;
    }
    const labels = after.get(ack.seq)!;
    if (!sameLabels(labels, ack.labels)) {
      ledger.violation(
        `${ack.key} on ${ack.path} (seq ${ack.seq}): the answer promised ${describe(ack.labels)}, the log gives ${describe(labels)}`,
      );
    }
  }
  for (const [seq, identity] of ledger.streamed) {
    const record = bySeq.get(seq);
    const logIdentity = record
      ? `${record.mutation_id} ${record.path} v${record.version}`
      : 'nothing';
    if (logIdentity !== identity) {
      ledger.violation(
        `the live stream showed seq ${seq} as "${identity}" but the log holds ${logIdentity}`,
      );
    }
  }
  return { records: records.length, head: records.at(-1)?.seq ?? 0 };
}

/** Compare a client's folded labels with the server's export. */
export function compareState(
  who: string,
  state: ReadonlyMap<string, LabelsSeen>,
  expected: ExportJson,
): string[] {
  const problems: string[] = [];
  for (const [path, labels] of Object.entries(expected.items)) {
    const seen = state.get(path);
    if (!seen)
      problems.push(`${who}: has no labels for ${path}, the server has ${describe(labels)}`);
    else if (!sameLabels(seen, labels)) {
      problems.push(`${who}: ${path} is ${describe(seen)}, the server has ${describe(labels)}`);
    }
  }
  for (const [path, labels] of state) {
    const asLabels = { ...EMPTY_LABELS, ...labels } as Labels;
    if (!(path in expected.items) && isLabeled(asLabels)) {
      problems.push(`${who}: has ${describe(labels)} for ${path}, which the server has not`);
    }
  }
  return problems;
}
