/**
 * A workspace the original Lenslet wrote, opened by `lenslet serve`, and the original's open tabs
 * that come back to it (issue 11, "its workspaces and open tabs"). The workspace is written here
 * in the original's format (its snapshot v2 with last_event_id and stored mutation results, log
 * lines with event ids and mutation_result; see docs/format.md "Legacy import"): event ids up to
 * 44, an item cleared back to defaults at version 3, microsecond timestamps.
 * Each test states the original's behaviour (workspace-resume.test.ts has the resume path with
 * consecutive ids in full).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, send } from './http.ts';
import { startTarget, type TargetServer } from './servers.ts';

const EPOCH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const KEPT = '/batch_a/img_0000.png';
const CLEARED = '/batch_b/img_0001.png';
const LAST_ID = 44;
const COOKIE = 'lenslet_session=1a2b3c4d5e6f70811a2b3c4d5e6f7081';

const sidecar = (
  star: number | null,
  tags: string[],
  notes: string,
  version: number,
  at: string,
  by: string,
) => ({
  v: 1,
  tags,
  notes,
  exif: { width: 39, height: 37 },
  hash: null,
  original_position: null,
  star,
  version,
  updated_at: at,
  updated_by: by,
});

const result = (id: number, key: string, side: ReturnType<typeof sidecar>) => ({
  status: 200,
  payload: {
    sidecar: side,
    mutation_id: key,
    accepted_event: { boot_epoch: EPOCH, event_id: id },
    persistence: 'pending',
    durable_watermark: { boot_epoch: EPOCH, event_id: id - 1 },
  },
});

/** One log line as the original appends it: the item's state plus the mutation's answer. */
const line = (
  id: number,
  path: string,
  key: string,
  side: ReturnType<typeof sidecar>,
  changed: string[],
) => ({
  id,
  type: 'item-updated',
  path,
  version: side.version,
  tags: side.tags,
  notes: side.notes,
  star: side.star,
  updated_at: side.updated_at,
  updated_by: side.updated_by,
  mutation_id: key,
  changed_fields: changed,
  accepted_event: { boot_epoch: EPOCH, event_id: id },
  persistence: 'pending',
  durable_watermark: { boot_epoch: EPOCH, event_id: id - 1 },
  mutation_result: result(id, key, side),
});

const V2 = sidecar(2, ['x'], '', 2, '2026-07-20T08:00:00.123456+00:00', 'session:1a2b3c4d');
const V3 = sidecar(5, ['x', 'y'], '', 3, '2026-07-20T09:00:00.654321+00:00', 'session:1a2b3c4d');
const C2 = sidecar(null, [], 'keep', 2, '2026-07-20T09:05:00.000001+00:00', 'session:99ffee00');
const C3 = sidecar(null, [], '', 3, '2026-07-20T09:06:00.250001+00:00', 'session:99ffee00');

function writeOriginalWorkspace(served: string): void {
  const ws = join(served, '.lenslet');
  mkdirSync(ws, { recursive: true });
  const { v: _v, exif: _e, hash: _h, original_position: _o, ...item } = V2;
  const snapshot = {
    version: 2,
    last_event_id: 41,
    items: { [KEPT]: item },
    mutations: { 'c0ffee-key-0001': result(41, 'c0ffee-key-0001', V2) },
  };
  writeFileSync(join(ws, 'labels.snapshot.json'), JSON.stringify(snapshot, null, 2));
  const lines = [
    line(42, KEPT, 'c0ffee-key-0002', V3, ['star', 'tags']),
    line(43, CLEARED, 'c0ffee-key-0003', C2, ['notes']),
    line(LAST_ID, CLEARED, 'c0ffee-key-0004', C3, ['notes']),
  ];
  writeFileSync(
    join(ws, 'labels.log.jsonl'),
    `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  );
}

const enc = encodeURIComponent;

describe('an original workspace and its open tabs', () => {
  let server: TargetServer;
  let origin: Record<string, string>;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startTarget('folder', writeOriginalWorkspace);
    origin = { Origin: server.url, Cookie: COOKIE };
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('the labels come across (version and author of a labeled item)', async () => {
    const item = await send(server.port, 'GET', `/item?path=${enc(KEPT)}`, {});
    expect(item.json).toMatchObject({
      star: 5,
      tags: ['x', 'y'],
      version: 3,
      updated_by: 'session:1a2b3c4d',
    });
  });

  test('an item cleared back to defaults keeps its version and author', async () => {
    const item = await send(server.port, 'GET', `/item?path=${enc(CLEARED)}`, {});
    expect(item.json).toMatchObject({
      star: null,
      notes: '',
      version: 3,
      updated_by: 'session:99ffee00',
    });
  });

  test('timestamps keep their microseconds', async () => {
    const item = await send(server.port, 'GET', `/item?path=${enc(KEPT)}`, {});
    expect((item.json as { updated_at: string }).updated_at).toMatch(
      /^2026-07-20T09:00:00\.654321/,
    );
  });

  test("a retry of a stored Idempotency-Key answers the original's stored result", async () => {
    const retry = await send(
      server.port,
      'PATCH',
      `/item?path=${enc(KEPT)}`,
      { ...origin, 'Idempotency-Key': 'c0ffee-key-0002', 'If-Match': '2' },
      { base_version: 2, set_star: 5, add_tags: ['y'] },
    );
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({
      mutation_id: 'c0ffee-key-0002',
      accepted_event: { boot_epoch: EPOCH, event_id: 42 },
      sidecar: { version: 3 },
    });
  });

  test("a tab that resumes inside the original's ids is replayed what changed after them", async () => {
    // Ids 42 (KEPT), 43 and 44 (CLEARED): a tab that saw 43 missed only CLEARED's last change.
    const resumed = listen(server.port, {}, '/events?last_event_id=43');
    await new Promise((r) => setTimeout(r, 500));
    resumed.close();
    expect(resumed.frames.map((f) => f.event)).not.toContain('resync-required');
    const replayed = resumed.frames.filter((f) => f.event === 'item-updated');
    expect(replayed.map((f) => [f.id, (f.data as { path: string }).path])).toEqual([
      [String(LAST_ID), CLEARED],
    ]);
  });

  test("a tab that resumes from the original's last event id keeps its stream and gets the next write", async () => {
    // The original's client resumes with ?last_event_id=<the last id it saw> and does not know
    // resync-required: answered with one, it reconnects with the same id forever.
    // Presence frames also advanced the original's counter: the tab may hold an id past the log.
    const resumed = listen(server.port, {}, `/events?last_event_id=${LAST_ID + 3}`);
    await new Promise((r) => setTimeout(r, 500));
    const write = await send(
      server.port,
      'PATCH',
      `/item?path=${enc(KEPT)}`,
      { ...origin, 'Idempotency-Key': 'patch:tab-after-import:0001', 'If-Match': '3' },
      { base_version: 3, set_star: 1 },
    );
    expect(write.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    resumed.close();
    expect(resumed.frames.map((f) => f.event)).not.toContain('resync-required');
    const update = resumed.frames.find((f) => f.event === 'item-updated');
    expect(Number(update?.id)).toBeGreaterThan(LAST_ID);
  });
});
