import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ERROR_STATUS } from '../errors.ts';
import { type CanonicalPath, isCanonicalPath } from '../paths.ts';
import { labelsWith, recordOf } from '../test-support.ts';
import { errorBodySchema } from './error-body.ts';
import { canonicalPathSchema } from './fields.ts';
import { healthAnswerSchema } from './health.ts';
import { helloSchema } from './hello.ts';
import { itemUpdateSchema, toItemUpdate } from './item-update.ts';
import { itemViewSchema } from './item-view.ts';
import { isLiveEventName, LIVE_EVENTS } from './live-events.ts';
import { presenceJoinAnswerSchema } from './presence.ts';
import { counts, item, sidecar, stars, update, valid } from './protocol-examples.ts';
import { queryAnswerSchema } from './query-answer.ts';
import { facetsQuerySchema, folderQuerySchema } from './query-body.ts';
import { type MessageSchema, readMessage } from './read-message.ts';
import { sidecarSchema, toSidecar } from './sidecar.ts';
import { savedViewsDocumentSchema, viewsDocumentSchema } from './views.ts';
import { writeAnswerSchema } from './write-answer.ts';

test.each(valid)('%s: a message parses back to itself', (_name, schema, message) => {
  expect(readMessage(schema, message)).toEqual({ ok: true, data: message });
});

const invalid: [string, MessageSchema, unknown, string][] = [
  ['a missing field', sidecarSchema, { ...sidecar, v: undefined }, 'v: expected 1'],
  ['a wrong type', itemViewSchema, { ...item, star: '4' }, 'star: expected number'],
  ['a star out of range', sidecarSchema, { ...sidecar, star: 6 }, 'star: above the maximum 5'],
  ['a version 0', sidecarSchema, { ...sidecar, version: 0 }, 'version: below the minimum 1'],
  [
    'a non-canonical path',
    sidecarSchema,
    { ...sidecar, path: 'cats\\a.jpg' },
    'path: not a canonical path',
  ],
  [
    'a path with ..',
    itemViewSchema,
    { ...item, path: '/x/../a.jpg' },
    'path: not a canonical path',
  ],
  [
    'an unknown change',
    itemUpdateSchema,
    { ...update, changes: [{ kind: 'star_cleared' }] },
    'changes.0.kind: invalid union',
  ],
  [
    'a missing star facet',
    queryAnswerSchema,
    { ...(valid[5]![2] as object), facets: { star: { ...stars, 5: undefined } } },
    'facets.star.5: expected number',
  ],
  [
    'an unknown error code',
    errorBodySchema,
    { error: 'oops', message: 'm' },
    `error: not one of the ${Object.keys(ERROR_STATUS).length} known values`,
  ],
  [
    'a persistence state',
    writeAnswerSchema,
    { ...(valid[6]![2] as object), persistence: 'disk' },
    'persistence: expected "saved" or "relaxed" or "memory"',
  ],
  ['not an object', helloSchema, 'hello', '(the whole message): expected object'],
];

test.each(invalid)('%s is refused, naming the field', (_name, schema, message, problem) => {
  expect(readMessage(schema, message)).toEqual({ ok: false, problem });
});

describe('builders produce messages of the protocol', () => {
  const path = '/cats/a.jpg' as CanonicalPath;
  test('toSidecar', () => {
    const built = toSidecar(path, 9, labelsWith({ star: 2, tags: ['a'], version: 2 }));
    expect(readMessage(sidecarSchema, built)).toEqual({ ok: true, data: built });
  });
  test('toItemUpdate, metrics-only records included', () => {
    const record = recordOf(path, 5, 3, [
      { kind: 'metrics_set', metrics: { s: 1 }, from: { s: null } },
    ]);
    const built = toItemUpdate(record, labelsWith({ metrics: { s: 1 }, version: 3 }), {
      boot_epoch: 'e0',
      persistence: 'relaxed',
    });
    expect(built).toMatchObject({
      accepted_event: { boot_epoch: 'e0', event_id: 5 },
      durable_watermark: { boot_epoch: 'e0', event_id: 5 },
      persistence: 'relaxed',
    });
    expect(readMessage(LIVE_EVENTS['metrics-updated'], built)).toEqual({ ok: true, data: built });
  });
});

test('the live table names every event of the stream, and only those', () => {
  expect(Object.keys(LIVE_EVENTS).sort()).toEqual([
    'folder-updated',
    'hello',
    'item-updated',
    'metrics-updated',
    'persistence',
    'presence',
    'resync-required',
    'table-updated',
    'views-updated',
  ]);
  expect(isLiveEventName('presence')).toBe(true);
  expect(isLiveEventName('keepalive')).toBe(false);
  expect(isLiveEventName('toString')).toBe(false);
});

test('the views document keeps views it does not know; the client schema checks ours', () => {
  const foreign = { version: 1, revision: 1, views: [{ title: 'from the original' }] };
  expect(readMessage(viewsDocumentSchema, foreign).ok).toBe(true);
  expect(readMessage(savedViewsDocumentSchema, foreign)).toEqual({
    ok: false,
    problem: 'views.0.id: expected string',
  });
});

test('health: diagnostics may grow, the fields clients read may not go missing', () => {
  const health = {
    ok: true,
    version: '0.1.0',
    mode: 'folder',
    can_write: true,
    read_only: false,
    ephemeral: false,
    ephemeral_reason: null,
    workspace_id: 'L',
    auth: { token_required: false, public_url: null },
    roots: [{ prefix: '/' }],
    labels: {
      enabled: true,
      log_id: 'L',
      durability: 'fsync',
      state: 'saved',
      error: null,
      since: '2026-03-01T10:00:00.000Z',
      seq: 1,
      snapshot_seq: 0,
      oldest_seq: 1,
      log_bytes: 10,
      last_fsync_ms: 0.8,
      labeled_items: 1,
      persistence: {
        enabled: true,
        boot_epoch: 'L',
        state: 'saved',
        durable_watermark: { boot_epoch: 'L', event_id: 1 },
        pending_count: 0,
        pending_bytes: 0,
        max_pending_count: 0,
        max_pending_bytes: 0,
        oldest_pending_age_ms: null,
        error: null,
        failure_total: 0,
        deadline_breach_total: 0,
      },
      integrity: {
        recovered: {
          at: '2026-03-01T10:00:00.000Z',
          message: 'labels.log.jsonl ends with 8192 bytes of an interrupted write …',
          bytes: 8192,
          records: 12,
          quarantine: 'quarantine/x.bin',
        },
        history: { state: 'checking', through_seq: 1, problem: null },
      },
    },
    presence: { anything: [1] },
    live: { clients: 3, new_counter: 1 },
    indexing: {
      state: 'ready',
      items: 1,
      done: 1,
      total: 1,
      skipped: { unreadable: 0 },
      error: null,
    },
    watch: { mode: 'poll', requested: 'native', reason: 'watch limit' },
    thumbnails: { size: 256, quality: 70, rendered: 1 },
    refresh: { enabled: true },
    launch_session: {
      kind: 'local_folder',
      loaded_from_label: 'Local folder',
      target_label: '.../cats',
      title_label: 'cats',
      detail_label: 'Filesystem dataset · workspace',
    },
  };
  expect(readMessage(healthAnswerSchema, health)).toEqual({ ok: true, data: health });
  const { can_write: _, ...without } = health;
  expect(readMessage(healthAnswerSchema, without)).toEqual({
    ok: false,
    problem: 'can_write: expected boolean',
  });
  const unknownState = {
    ...health,
    labels: {
      ...health.labels,
      integrity: {
        ...health.labels.integrity,
        history: { state: 'fine', through_seq: 1, problem: null },
      },
    },
  };
  expect(readMessage(healthAnswerSchema, unknownState)).toMatchObject({
    ok: false,
    problem: expect.stringContaining('labels.integrity.history.state'),
  });
});

test('the query body (classic zod, server-side) keeps has_notes and names unknown fields', () => {
  expect(folderQuerySchema.parse({ filters: { has_notes: true } }).filters).toEqual({
    has_notes: true,
  });
  expect(folderQuerySchema.safeParse({ filters: { stras: [1] } }).success).toBe(false);
});

test('the query body takes field filters, a derived formula, a projection and an anchor', () => {
  const body = {
    filters: {
      metrics: { aesthetic: { min: 5 }, '@derived': { max: 2 }, 'odd name': {} },
      values: { style: { in: ['anime'] }, split: { not_in: ['test'] } },
      missing: ['nsfw_score'],
      present: ['clip_score'],
    },
    sort: { by: 'metric', key: '@derived', dir: 'asc' },
    derived: { formula: '0.7*aesthetic + 0.3*z(clip_score)', population: 'scope' },
    fields: ['aesthetic', 'style'],
    anchor: '/a.jpg',
  };
  expect(folderQuerySchema.parse(body)).toMatchObject(body);
  expect(folderQuerySchema.parse({ sort: { by: 'row' } }).sort).toEqual({ by: 'row', dir: 'asc' });
  expect(folderQuerySchema.safeParse({ filters: { values: { style: {} } } }).success).toBe(false);
  expect(folderQuerySchema.safeParse({ derived: { formula: '' } }).success).toBe(false);
  expect(folderQuerySchema.safeParse({ fields: ['a\u0007'] }).success).toBe(false);
  expect(facetsQuerySchema.parse({ facets: { fields: ['aesthetic'], bins: 20 } }).facets).toEqual({
    fields: ['aesthetic'],
    bins: 20,
  });
  expect(facetsQuerySchema.safeParse({ facets: { bins: 0 } }).success).toBe(false);
});

test('presence join answers carry counts and the lease', () => {
  expect(
    readMessage(presenceJoinAnswerSchema, { ...counts, client_id: 'tab', lease_id: 'L' }).ok,
  ).toBe(true);
});

test('a path is accepted exactly when it is canonical (the ASCII fast path agrees)', () => {
  const segment = fc.constantFrom('a', 'b c', '.', '..', '', 'é', 'e\u0301', '\\', '\u0007', '~x');
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (parts, slash) => {
      const path = (slash ? '/' : '') + parts.join('/');
      expect(readMessage(canonicalPathSchema, path).ok).toBe(isCanonicalPath(path));
    }),
  );
});
