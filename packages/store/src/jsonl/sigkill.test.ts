/**
 * Real SIGKILL rounds: a child process writes from 32 concurrent callers (with periodic snapshots
 * and compactions in a worker thread), the parent records every acknowledgement it prints, kills
 * it with SIGKILL at a random moment, and reopens the workspace: every acknowledged record must be
 * there with the same idempotency key, and the next child continues on the same workspace.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { bundleForTest, testWorker } from '../testing/test-bundles.ts';
import { openJsonlStore } from './open-jsonl-store.ts';

const ROUNDS = 24;
const CALLERS = 32;

type Ack = { seq: number; key: string };

/** Run the child until it has printed `killAfter` acks, then SIGKILL it; resolves the acks seen. */
async function killedRun(
  script: URL,
  dir: string,
  worker: URL,
  round: number,
  killAfter: number,
): Promise<Ack[]> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(script), dir, String(CALLERS), worker.href, String(round)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acks: Ack[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let buffered = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [kind, seq, key] = line.split(' ');
      if (kind !== 'ack') continue;
      acks.push({ seq: Number(seq), key: key! });
      if (acks.length === killAfter) child.kill('SIGKILL');
    }
  });
  const how = await exited;
  if (how !== 'SIGKILL')
    throw new Error(`round ${round}: the child exited (${how}) before it was killed:\n${stderr}`);
  return acks;
}

test(`every acknowledged write survives ${ROUNDS} SIGKILLs under concurrent load`, async () => {
  const [script, worker] = await Promise.all([bundleForTest('sigkill-child'), testWorker()]);
  const root = await mkdtemp(join(tmpdir(), 'lenslet-sigkill-'));
  const dir = join(root, '.lenslet');
  const all: Ack[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const killAfter = 20 + Math.floor(Math.random() * 600);
      const acks = await killedRun(script, dir, worker.url, round, killAfter);
      expect(acks.length, `round ${round}`).toBeGreaterThanOrEqual(killAfter);
      all.push(...acks);
      const warnings: string[] = [];
      const store = await openJsonlStore(dir, { worker, onWarning: (w) => warnings.push(w) });
      try {
        expect(warnings.join('\n'), `round ${round}`).toMatch(
          /taking over the workspace lock of pid \d+/,
        );
        const keys = new Map<number, string>();
        for await (const { record } of store.replay(0)) keys.set(record.seq, record.mutation_id);
        expect(keys.size, `round ${round}`).toBe(store.head());
        for (const ack of all)
          expect(keys.get(ack.seq), `round ${round}, seq ${ack.seq}`).toBe(ack.key);
      } finally {
        await store.close();
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  expect(all.length).toBeGreaterThan(ROUNDS * 20);
}, 600_000);
