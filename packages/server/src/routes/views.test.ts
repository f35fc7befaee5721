import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '@lenslet/store';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createFakeGallery } from '../fake-gallery.ts';
import { call, SseReader, startServer } from '../live-test-kit.ts';
import { listen, raw, testApp } from '../test-server.ts';
import { createMemoryViews, type ViewsRepository } from '../views-file.ts';

let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lenslet-views-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const gallery = () => createFakeGallery([{ path: '/a.jpg' }]);
const view = (id: string) => ({ id, name: `View ${id}`, pool: { kind: 'folder', path: '/' } });

describe('views in a workspace file', () => {
  test('starts empty at revision 0, then each PUT bumps the revision and rewrites the file atomically', async () => {
    const { app } = testApp({ gallery: gallery(), config: { workspace } });
    const empty = await request(app).get('/views').expect(200);
    expect(empty.body).toEqual({ version: 1, revision: 0, views: [] });
    expect(empty.headers.etag).toBe('"0"');
    const put = await request(app)
      .put('/views')
      .set('If-Match', '"0"')
      .send({ views: [view('a')] })
      .expect(200);
    expect(put.body).toEqual({ version: 1, revision: 1, views: [view('a')] });
    expect(put.headers.etag).toBe('"1"');
    const onDisk = JSON.parse(await readFile(join(workspace, 'views.json'), 'utf8'));
    expect(onDisk).toEqual({ version: 1, revision: 1, views: [view('a')] });
    expect((await readdir(workspace)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const reread = testApp({ gallery: gallery(), config: { workspace } });
    expect((await request(reread.app).get('/views').expect(200)).body.revision).toBe(1);
  });

  test('If-Match with a stale revision is a conflict that changes nothing', async () => {
    const { app } = testApp({ gallery: gallery(), config: { workspace } });
    await request(app)
      .put('/views')
      .send({ views: [view('a')] })
      .expect(200);
    const stale = await request(app)
      .put('/views')
      .set('If-Match', '0')
      .send({ views: [view('b')] })
      .expect(409);
    expect(stale.body).toMatchObject({ error: 'version_conflict', current_revision: 1 });
    const viaBody = await request(app)
      .put('/views')
      .send({ revision: 0, views: [view('b')] })
      .expect(409);
    expect(viaBody.body.error).toBe('version_conflict');
    expect((await request(app).get('/views')).body.views).toEqual([view('a')]);
    const disagree = await request(app)
      .put('/views')
      .set('If-Match', '1')
      .send({ revision: 0, views: [] })
      .expect(400);
    expect(disagree.body.error).toBe('invalid_request');
    await request(app)
      .put('/views')
      .set('If-Match', 'W/"1"')
      .send({ views: [view('c')] })
      .expect(200);
  });

  test('concurrent PUTs with the same If-Match: exactly one wins', async () => {
    const { app } = testApp({ gallery: gallery(), config: { workspace } });
    const results = await Promise.all(
      ['x', 'y', 'z'].map((id) =>
        request(app)
          .put('/views')
          .set('If-Match', '"0"')
          .send({ views: [view(id)] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  test('a file from the original Lenslet (no revision) is read as revision 1', async () => {
    await writeFile(
      join(workspace, 'views.json'),
      JSON.stringify({ version: 1, views: [view('old')] }),
    );
    const { app } = testApp({ gallery: gallery(), config: { workspace } });
    expect((await request(app).get('/views').expect(200)).body).toEqual({
      version: 1,
      revision: 1,
      views: [view('old')],
    });
  });

  test('an unreadable file is reported and never overwritten', async () => {
    await writeFile(join(workspace, 'views.json'), '{"views": [oops');
    const { app } = testApp({ gallery: gallery(), config: { workspace } });
    const get = await request(app).get('/views').expect(500);
    expect(get.body.message).toContain('fix or move');
    await request(app).put('/views').send({ views: [] }).expect(500);
    expect(await readFile(join(workspace, 'views.json'), 'utf8')).toBe('{"views": [oops');
  });

  test('a workspace that cannot be written answers 503 persistence_unavailable', async () => {
    const gone = join(workspace, 'removed');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(gone);
    const { app } = testApp({ gallery: gallery(), config: { workspace: gone } });
    await request(app)
      .put('/views')
      .send({ views: [view('a')] })
      .expect(200);
    await rm(gone, { recursive: true });
    const res = await request(app)
      .put('/views')
      .send({ views: [view('b')] })
      .expect(503);
    expect(res.body.error).toBe('persistence_unavailable');
    expect(res.body.message).toContain('nothing was changed');
  });
});

test('ephemeral servers keep views in memory only', async () => {
  const { app } = testApp({
    gallery: gallery(),
    config: { workspace, ephemeral: true, ephemeral_reason: '--no-write' },
  });
  await request(app)
    .put('/views')
    .send({ views: [view('a')] })
    .expect(200);
  expect((await request(app).get('/views')).body.revision).toBe(1);
  expect(await readdir(workspace)).toEqual([]);
});

test('bad bodies are refused by name', async () => {
  const { app } = testApp({ gallery: gallery() });
  expect(
    (
      await request(app)
        .put('/views')
        .send({ views: [1] })
        .expect(400)
    ).body.error,
  ).toBe('invalid_request');
  expect(
    (await request(app).put('/views').send({ views: [], extra: 1 }).expect(400)).body.message,
  ).toContain('"extra"');
  expect((await request(app).put('/views').send({}).expect(400)).body.message).toContain('views');
  await request(app).put('/views').set('If-Match', 'abc').send({ views: [] }).expect(400);
});

test('an accepted PUT is broadcast as views-updated on the live stream', async () => {
  const lenslet = testApp({ gallery: gallery() });
  const server = await listen(lenslet);
  const controller = new AbortController();
  try {
    const stream = await fetch(`${server.url}/events`, { signal: controller.signal });
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return null;
        parser.feed(value);
        const hit = events.find((e) => e.event === 'views-updated');
        if (hit) return hit;
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const put = await raw(`${server.url}/views`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ views: [view('a')] }),
    });
    expect(put.status).toBe(200);
    const event = await seen;
    expect(JSON.parse(event!.data)).toEqual({ revision: 1 });
  } finally {
    controller.abort();
    await server.close();
  }
});

test('views shared by replicas: a PUT on one reaches every stream once, with its revision', async () => {
  // A repository two servers share, announcing every write (as the database does).
  const listeners = new Set<(revision: number) => void>();
  const memory = createMemoryViews();
  const shared: ViewsRepository = {
    file: null,
    read: () => memory.read(),
    write: async (views, expected) => {
      const saved = await memory.write(views, expected);
      for (const l of listeners) l(saved.revision);
      return saved;
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const [one, two] = await Promise.all(
    [0, 1].map(() => startServer({ store: openMemoryStore(), views: shared })),
  );
  const streams = await Promise.all([one!, two!].map((s) => SseReader.open(`${s.url}/events`)));
  try {
    const put = await call(
      `${two!.url}/views`,
      'PUT',
      { views: [view('a')] },
      {
        Origin: two!.url,
      },
    );
    expect(put.status).toBe(200);
    for (const stream of streams) {
      expect((await stream.nth('views-updated')).data).toEqual({ revision: 1 });
    }
    expect((await call(`${one!.url}/views`, 'GET')).body).toMatchObject({ revision: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(streams.map((s) => s.named('views-updated').length)).toEqual([1, 1]);
  } finally {
    for (const s of streams) s.close();
    await Promise.all([one!.stop(), two!.stop()]);
  }
});
