import { LensletError } from '@lenslet/core';
import { expect, test } from 'vitest';
import { createApi, statusOf } from './api.ts';
import { createRouteFetch, healthAnswer } from './test-support.ts';

const sidecar = {
  v: 1,
  path: '/a.jpg',
  seq: 3,
  star: 2,
  tags: ['t'],
  notes: '',
  metrics: {},
  version: 2,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'ana',
};

function apiWith(routes: Parameters<typeof createRouteFetch>[0]) {
  return createApi({ fetch: createRouteFetch(routes).fetch, user: () => 'me', clientId: 'tab' });
}

/** The error a call rejected with. */
async function refusal(promise: Promise<unknown>): Promise<LensletError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LensletError);
  return error as LensletError;
}

test('answers are parsed with the protocol schemas', async () => {
  const api = apiWith({
    'GET /item': () => sidecar,
    'GET /health': () => healthAnswer({ state: 'memory', error: '--no-write' }),
    'PATCH /item': () => ({
      sidecar,
      mutation_id: 'k',
      accepted_event: { seq: 3 },
      persistence: 'saved',
      rebased: false,
    }),
  });
  expect(await api.item('/a.jpg')).toEqual(sidecar);
  expect(await api.health()).toEqual({
    can_write: true,
    version: '0.0.0',
    state: 'memory',
    error: '--no-write',
    log_id: 'LOG',
    integrity: { recovered: null, history: { state: 'ok', through_seq: 0, problem: null } },
  });
  expect(await api.patch('/a.jpg', { set_star: 2 }, 'k', 1)).toMatchObject({ sidecar });
});

test('an answer that does not parse is an error naming the route and the field', async () => {
  const api = apiWith({
    'GET /item': () => ({ ...sidecar, star: 'two' }),
    'POST /items/patch': () => ({ seq: 4, results: [] }),
    'GET /tags': () => 'not json at all',
    'GET /item/history': () => ({
      path: '/a.jpg',
      seq: 3,
      version: 2,
      next_before: null,
      records: [
        {
          seq: 1,
          at: '2026-01-01T00:00:00.000Z',
          actor: 'ana',
          version: 2,
          mutation_id: 'm1',
          changed_fields: ['star'],
          changes: [{ kind: 'star_exploded' }],
        },
      ],
    }),
  });
  const item = await refusal(api.item('/a.jpg'));
  expect(item.message).toBe(
    'unexpected answer from the server to GET /item: star: expected number',
  );
  // The answer's own status: a client does not retry a reply it cannot read.
  expect(statusOf(item)).toBe(200);
  const bulk = await refusal(api.bulk([{ path: '/a.jpg', base_version: 1 }], {}, 'k'));
  expect(bulk.message).toBe(
    'unexpected answer from the server to POST /items/patch: mutation_id: expected string',
  );
  const tags = await refusal(api.tags('/'));
  expect(tags.message).toBe(
    'unexpected answer from the server to GET /tags: (the whole message): expected object',
  );
  const history = await refusal(api.history('/a.jpg'));
  expect(history.message).toMatch(
    /^unexpected answer from the server to GET \/item\/history: records\.0\.changes\.0/,
  );
});

test('refusals keep their code, message, details and status', async () => {
  const api = apiWith({
    'PATCH /item': () => [
      409,
      {
        error: 'version_conflict',
        message: 'star changed',
        conflicting_fields: ['star'],
        current: sidecar,
      },
    ],
  });
  const error = await refusal(api.patch('/a.jpg', { set_star: 1 }, 'k', 1));
  expect(error.code).toBe('version_conflict');
  expect(error.message).toBe('star changed');
  expect(error.details).toMatchObject({
    status: 409,
    conflicting_fields: ['star'],
    current: sidecar,
  });
});

test('saved views: the document is checked, and each view as this client writes it', async () => {
  const view = { id: 'v', name: 'best', pool: { kind: 'folder', path: '/' }, view: { search: '' } };
  const good = apiWith({ 'GET /views': () => ({ version: 1, revision: 2, views: [view] }) });
  expect((await good.views()).doc).toEqual({ version: 1, views: [view] });
  const foreign = apiWith({
    'GET /views': () => ({ version: 1, revision: 2, views: [{ title: 'x' }] }),
  });
  expect((await refusal(foreign.views())).message).toBe(
    'unexpected answer from the server to GET /views: views.0.id: expected string',
  );
});
