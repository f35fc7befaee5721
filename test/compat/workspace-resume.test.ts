/**
 * The import → resume path with a stored last event id, on a real port (issue 11, "its workspaces
 * and open tabs"): the original Lenslet's workspace holds a snapshot at event id 100 (its earlier
 * events, none of them labels still set) and N = 6 label events with ids 101…106, each on its own
 * image (no presence frame in between, so the ids are consecutive), with its answers to those
 * PATCH requests. `lenslet serve` imports it; an open tab of the original comes back with
 * the last id it saw — as the original's client does, `?last_event_id=` (its stored id) or the
 * `Last-Event-ID` header (EventSource's own reconnect) — and reads the stream with
 * eventsource-parser. A retried PATCH with one of the original's keys answers as the original did.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Listener, listen, send } from './http.ts';
import { startTarget, type TargetServer } from './servers.ts';

const EPOCH = '0123456789abcdef0123456789abcdef';
const BEFORE = 100;
const N = 6;
const HEAD = BEFORE + N;
const PATHS = [
  '/batch_a/img_0000.png',
  '/batch_b/img_0001.png',
  '/batch_c/img_0002.png',
  '/batch_a/img_0003.jpg',
  '/batch_b/img_0004.jpg',
  '/batch_c/img_0005.png',
];
const key = (n: number) => `patch:tab-original:000${n}`;
const at = (n: number) => `2026-07-20T09:0${n}:00.123456+00:00`;

/** The n-th event (id BEFORE + n) as the original appended it: the state plus its answer. */
function line(n: number) {
  const id = BEFORE + n;
  const sidecar = {
    v: 1,
    tags: [`t${n}`],
    notes: '',
    exif: { width: 39, height: 37 },
    hash: null,
    original_position: null,
    star: n % 6,
    version: 2,
    updated_at: at(n),
    updated_by: 'session:1a2b3c4d',
  };
  const event = { boot_epoch: EPOCH, event_id: id };
  const payload = {
    sidecar,
    mutation_id: key(n),
    accepted_event: event,
    persistence: 'pending',
    durable_watermark: { boot_epoch: EPOCH, event_id: id - 1 },
  };
  return {
    id,
    type: 'item-updated',
    path: PATHS[n - 1],
    version: 2,
    tags: sidecar.tags,
    notes: '',
    star: sidecar.star,
    updated_at: sidecar.updated_at,
    updated_by: sidecar.updated_by,
    mutation_id: key(n),
    changed_fields: ['star', 'tags'],
    accepted_event: event,
    persistence: 'pending',
    durable_watermark: payload.durable_watermark,
    mutation_result: { status: 200, payload },
  };
}

function writeOriginalWorkspace(served: string): void {
  const ws = join(served, '.lenslet');
  mkdirSync(ws, { recursive: true });
  const snapshot = { version: 2, last_event_id: BEFORE, items: {}, mutations: {} };
  writeFileSync(join(ws, 'labels.snapshot.json'), JSON.stringify(snapshot, null, 2));
  const lines = Array.from({ length: N }, (_, i) => JSON.stringify(line(i + 1)));
  writeFileSync(join(ws, 'labels.log.jsonl'), `${lines.join('\n')}\n`);
}

const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));
const updates = (tab: Listener) => tab.frames.filter((f) => f.event === 'item-updated');
const enc = encodeURIComponent;

describe('import → resume with a stored last event id (real port, built CLI)', () => {
  let server: TargetServer;
  let origin: Record<string, string>;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startTarget('folder', writeOriginalWorkspace);
    origin = { Origin: server.url, Cookie: 'lenslet_session=1a2b3c4d5e6f70811a2b3c4d5e6f7081' };
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('the banner says the ids continue after the original ones', () => {
    expect(server.stderr()).toMatch(
      /Imported the labels of 6 images .*live event ids continue after 106/,
    );
  });

  test('a tab resuming inside the imported range gets exactly the later events, then stays live', async () => {
    const tab = listen(server.port, {}, `/events?last_event_id=${BEFORE + 3}`);
    await settle();
    expect((await tab.head()).status).toBe(200);
    expect(tab.frames.map((f) => f.event)).not.toContain('resync-required');
    expect(updates(tab).map((f) => [f.id, (f.data as { path: string }).path])).toEqual([
      ['104', PATHS[3]],
      ['105', PATHS[4]],
      ['106', PATHS[5]],
    ]);
    expect(updates(tab)[0]?.data).toMatchObject({ tags: ['t4'], star: 4, version: 2 });
    tab.close();
    // EventSource's own reconnect sends the header instead.
    const reconnect = listen(server.port, { 'Last-Event-ID': String(BEFORE + 5) });
    await settle();
    reconnect.close();
    expect(updates(reconnect).map((f) => f.id)).toEqual(['106']);
  });

  test("a tab at the original's head gets nothing old, then the next write as id N+1", async () => {
    const tab = listen(server.port, {}, `/events?last_event_id=${HEAD}`);
    await settle();
    expect(updates(tab)).toEqual([]);
    const write = await send(
      server.port,
      'PATCH',
      `/item?path=${enc(PATHS[0]!)}`,
      { ...origin, 'Idempotency-Key': 'patch:tab-after-import:0001', 'If-Match': '2' },
      { base_version: 2, set_star: 4 },
    );
    expect(write.status).toBe(200);
    expect(write.json).toMatchObject({ accepted_event: { event_id: HEAD + 1 } });
    await settle();
    tab.close();
    expect(tab.frames.map((f) => f.event)).not.toContain('resync-required');
    expect(updates(tab).map((f) => [f.id, (f.data as { path: string }).path])).toEqual([
      [String(HEAD + 1), PATHS[0]],
    ]);
  });

  test('a retried PATCH of the original answers as it answered, and applies nothing', async () => {
    const before = await send(server.port, 'GET', `/item?path=${enc(PATHS[2]!)}`, {});
    const tab = listen(server.port);
    await settle(300);
    const retry = await send(
      server.port,
      'PATCH',
      `/item?path=${enc(PATHS[2]!)}`,
      { ...origin, 'Idempotency-Key': key(3), 'If-Match': '1' },
      { base_version: 1, set_star: 3, set_tags: ['t3'] },
    );
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({
      sidecar: expect.objectContaining({ star: 3, tags: ['t3'], version: 2 }),
      mutation_id: key(3),
      accepted_event: { boot_epoch: EPOCH, event_id: BEFORE + 3 },
      persistence: 'saved',
      durable_watermark: { boot_epoch: EPOCH, event_id: BEFORE + 3 },
    });
    await settle();
    tab.close();
    expect(updates(tab)).toEqual([]);
    const after = await send(server.port, 'GET', `/item?path=${enc(PATHS[2]!)}`, {});
    expect(after.json).toEqual(before.json);
  });
});
