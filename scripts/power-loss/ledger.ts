/**
 * The writes of the power-loss campaign and what the log on disk holds. Writers PATCH
 * `set_metrics` with a value unique to the request (always a change, never 428: metrics commute)
 * and never retry: a 2xx is an acknowledgement to keep, a 503 a refusal that must stay unapplied,
 * a reset an unknown (it may or may not have reached the disk, both are allowed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sleep } from '@lenslet/test-kit';
import type { Rng } from '../soak/rng.ts';

export type Ack = {
  readonly seq: number;
  readonly path: string;
  readonly body: { readonly set_metrics: Record<string, number> };
};

export type WriteOptions = {
  readonly url: string;
  readonly paths: readonly string[];
  readonly writers: number;
  /** Date.now() at which the writers stop. */
  readonly until: number;
  readonly tag: string;
  readonly rng: Rng;
  readonly acked: Map<string, Ack>;
  readonly refused: Set<string>;
};

/** Run the writers until `until`; resolves with how many writes were sent. */
export async function writeUntil(options: WriteOptions): Promise<number> {
  const { url, paths, rng, acked, refused } = options;
  let sent = 0;
  const writer = async (id: number) => {
    for (let n = 0; Date.now() < options.until; n++) {
      const key = `lazyfs-${options.tag}-w${id}-${n}`;
      const path = rng.pick(paths);
      const body = { set_metrics: { [`m${rng.int(0, 4)}`]: sent } };
      sent++;
      try {
        const answer = await fetch(`${url}/item?path=${encodeURIComponent(path)}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
        });
        const json = (await answer.json()) as {
          accepted_event?: { seq: number };
          persistence?: string;
        };
        if (answer.status === 200 && json.accepted_event) {
          if (json.persistence !== 'saved')
            throw new Error(`a write answered persistence ${json.persistence}`);
          acked.set(key, { seq: json.accepted_event.seq, path, body });
        } else if (answer.status === 503) refused.add(key);
      } catch (error) {
        if ((error as Error).message.startsWith('a write answered')) throw error;
        await sleep(20);
      }
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, id) => writer(id)));
  return sent;
}

/** mutation_id → seq of every record in the workspace's log files (live log, segments, archives). */
export function loggedKeys(workspace: string): Map<string, number> {
  const keys = new Map<string, number>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = join(dir, name);
      let isDir: boolean;
      try {
        isDir = statSync(file).isDirectory();
      } catch {
        continue; // a temp file renamed away meanwhile
      }
      if (isDir) {
        if (name !== 'quarantine') walk(file);
        continue;
      }
      if (!/\.jsonl(\.gz)?$/.test(name)) continue;
      let bytes = readFileSync(file);
      if (name.endsWith('.gz')) bytes = gunzipSync(bytes);
      for (const line of bytes.toString('utf8').split('\n')) {
        if (!line.startsWith('{"v":1,"seq"')) continue;
        try {
          const record = JSON.parse(line) as { seq: number; mutation_id?: string };
          if (record.mutation_id) keys.set(record.mutation_id, record.seq);
        } catch {} // damage is recovery's to judge, and `replay --verify` checks it at the end
      }
    }
  };
  walk(workspace);
  return keys;
}
