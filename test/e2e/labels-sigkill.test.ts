/**
 * SIGKILL `lenslet serve` (the built CLI) while 32 clients write: after a restart on the same
 * folder, every write that was answered 2xx is there, and retrying an acknowledged request
 * returns the same answer without recording anything.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, FIXTURE_GALLERY, spawnCli } from '@lenslet/test-kit';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';

const IMAGES = 500;
const CLIENTS = 32;
const ROUNDS = 3;

type Server = { child: ChildProcess; url: string };
type Ack = { path: string; tag: string; key: string; seq: number; body: string };

const children = new Set<ChildProcess>();
let dir: string | undefined;

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** `lenslet serve <folder>` from the built CLI; resolves once it prints its URL. */
async function startServer(folder: string): Promise<Server> {
  const run = spawnCli(['serve', folder, '--watch', 'off']);
  children.add(run.child);
  const [, url] = await run.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//, 60_000);
  return { child: run.child, url: url! };
}

/** A folder of IMAGES small PNGs named /img<i>.png. */
async function imageFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'lenslet-sigkill-'));
  const source = join(FIXTURE_GALLERY, 'transparent.png');
  for (let i = 0; i < IMAGES; i++) await copyFile(source, join(folder, `img${i}.png`));
  return folder;
}

function patch(url: string, path: string, key: string, body: object) {
  return fetch(`${url}/item?path=${encodeURIComponent(path)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

/** 32 clients write unique tags until the server dies; returns every acknowledged write. */
async function writeUntilKilled(
  server: Server,
  round: number,
  killAfterAcks: number,
): Promise<Ack[]> {
  const acks: Ack[] = [];
  let n = 0;
  let killed = false;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = n++;
        const path = `/img${i % IMAGES}.png`;
        const tag = `r${round}-${i}`;
        const key = `kill-${round}-${String(i).padStart(6, '0')}`;
        let res: Response;
        try {
          res = await patch(server.url, path, key, { add_tags: [tag] });
        } catch {
          return; // connection refused or reset: the server is gone
        }
        if (res.status !== 200) {
          // Only acknowledged writes count; a write that was not acknowledged may or may not be there.
          await res.text().catch(() => '');
          if (killed) return;
          continue;
        }
        const body = await res.text().catch(() => null);
        if (body === null) return;
        acks.push({ path, tag, key, seq: JSON.parse(body).accepted_event.seq, body });
        if (!killed && acks.length >= killAfterAcks) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    }),
  );
  const { child } = server;
  // A process killed by a signal has signalCode set and exitCode null.
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => child.once('exit', resolve));
  }
  children.delete(server.child);
  return acks;
}

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

describe('SIGKILL under concurrent writes (built CLI, JSONL store)', () => {
  test('every 2xx-acknowledged write survives kill -9 and a restart', async () => {
    dir = await imageFolder();
    const all: Ack[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startServer(dir);
      all.push(...(await writeUntilKilled(server, round, 300 + round * 150)));
    }
    const server = await startServer(dir);
    const exported = await (await fetch(`${server.url}/export?format=json`)).json();
    const seqs = new Set<number>();
    for (const ack of all) {
      expect(exported.items[ack.path]?.tags, `${ack.tag} on ${ack.path}`).toContain(ack.tag);
      seqs.add(ack.seq);
    }
    expect(seqs.size).toBe(all.length);
    expect(exported.seq).toBeGreaterThanOrEqual(Math.max(...seqs));
    // A retry of acknowledged requests: the identical answer, nothing new in the log.
    for (const ack of all.slice(0, 20)) {
      const again = await patch(server.url, ack.path, ack.key, { add_tags: [ack.tag] });
      expect(again.status).toBe(200);
      expect(await again.text()).toBe(ack.body);
    }
    const after = await (await fetch(`${server.url}/export?format=json`)).json();
    expect(after.seq).toBe(exported.seq);
    server.child.kill('SIGTERM');
  }, 120_000);
});
