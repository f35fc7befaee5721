/**
 * `openPostgresStore(url, options)`: check the URL, connect, create or migrate the schema, bind
 * the log id, load the newest snapshot and fold the records after it, then follow the log.
 * Every failure is one LensletError naming the problem: a malformed URL (`usage`), a refused
 * login (`unauthorized`), a missing database (`not_found`), an unreachable server
 * (`persistence_unavailable`), a schema newer than this binary or another workspace's log
 * (`precondition_failed`).
 */
import { randomUUID } from 'node:crypto';
import type { CanonicalPath, Labels } from '@lenslet/core';
import { checkUrl, openError, openPool } from './connection.ts';
import { Follower } from './follower.ts';
import { Health } from './health.ts';
import { recordTime } from './log-reads.ts';
import { type PostgresStoreOptions, resolveOptions } from './options.ts';
import { type PostgresStore, PostgresStoreImpl } from './postgres-store.ts';
import { Projection } from './projection.ts';
import { bindLogId, logOrigin, migrate } from './schema.ts';
import { sharedPresence } from './shared-presence.ts';
import { readViews, sharedViews } from './shared-views.ts';
import { latestSnapshot, loadSnapshot } from './snapshots.ts';

/** Open the label log in the PostgreSQL database at `url` (created on first use). */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  checkUrl(url);
  const opts = resolveOptions(options);
  const reads = openPool(url, 'reads', opts);
  try {
    await migrate(reads);
    const now = opts.clock().toISOString();
    const log_id = await bindLogId(reads, opts.log_id, randomUUID(), now);
    const items = new Map<CanonicalPath, Labels>();
    const snapshot = await latestSnapshot(reads);
    if (snapshot) await loadSnapshot(reads, snapshot, items);
    const origin = await logOrigin(reads);
    const seq = snapshot?.seq ?? origin;
    const projection = new Projection(seq, await recordTime(reads, seq), opts.ring_records);
    for (const [path, labels] of items) projection.items.set(path, labels);
    const health = new Health(opts.clock);
    const follower = new Follower(reads, projection, health, opts.onWarning);
    await follower.sync();
    const store = new PostgresStoreImpl({
      url,
      log_id,
      opts,
      reads,
      projection,
      health,
      follower,
      snapshot_seq: snapshot?.seq ?? 0,
      origin,
      views: sharedViews(reads, opts.clock, (await readViews(reads)).revision),
      presence: sharedPresence(reads, { clock: opts.clock, onWarning: opts.onWarning }),
    });
    await store.start();
    return store;
  } catch (error) {
    await reads.end({ timeout: 0 }).catch(() => {});
    throw openError(error, url);
  }
}
