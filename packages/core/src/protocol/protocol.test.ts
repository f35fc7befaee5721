import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ERROR_STATUS } from '../errors.ts';
import { type CanonicalPath, isCanonicalPath } from '../paths.ts';
import { labelsWith, recordOf } from '../test-support.ts';
import { batchAnswerSchema } from './batch-answer.ts';
import { errorBodySchema } from './error-body.ts';
import { facetsAnswerSchema } from './facets.ts';
import { fieldsAnswerSchema } from './field-list.ts';
import { canonicalPathSchema } from './fields.ts';
import { folderUpdatedSchema } from './folder-update.ts';
import { foldersAnswerSchema } from './folders.ts';
import { healthAnswerSchema } from './health.ts';
import { helloSchema } from './hello.ts';
import { historyAnswerSchema } from './history.ts';
import { itemUpdateSchema, toItemUpdate } from './item-update.ts';
import { itemDetailSchema, itemViewSchema } from './item-view.ts';
import { isLiveEventName, LIVE_EVENTS } from './live-events.ts';
import { persistenceEventSchema } from './persistence-event.ts';
import { presenceJoinAnswerSchema, presenceMoveAnswerSchema } from './presence.ts';
import { queryAnswerSchema } from './query-answer.ts';
import { facetsQuerySchema, folderQuerySchema } from './query-body.ts';
import { type MessageSchema, readMessage } from './read-message.ts';
import { resyncSchema } from './resync.ts';
import { sidecarSchema, toSidecar } from './sidecar.ts';
import { tableUpdatedSchema } from './table-update.ts';
import { tagsAnswerSchema } from './tags.ts';
import { savedViewsDocumentSchema, viewsDocumentSchema } from './views.ts';
import { writeAnswerSchema } from './write-answer.ts';

// Messages as docs/api.md shows them (the server suite checks the real answers).
const labels = {
  star: 4,
  tags: ['cute'],
  notes: '',
  metrics: { score: 0.91 },
  version: 3,
  updated_at: '2026-03-01T10:00:00.000Z',
  updated_by: 'ana',
};
const sidecar = { v: 1, path: '/cats/a.jpg', seq: 42, ...labels };
const item = {
  path: '/cats/a.jpg',
  name: 'a.jpg',
  mime: 'image/jpeg',
  width: 4000,
  height: null,
  size: 2481734,
  added_at: '2026-02-01T09:00:00.000Z',
  thumb_url: '/thumb?path=/cats/a.jpg&v=2481734-1769936400000-256-70',
  ...labels,
};
const counts = { gallery_id: '/cats', viewing: 2, editing: 1 };
const update = {
  seq: 43,
  path: '/cats/a.jpg',
  ...labels,
  changed_fields: ['star', 'tags'],
  changes: [
    { kind: 'star_set', star: 4, from: 2 },
    { kind: 'tags_added', tags: ['cute'] },
  ],
  mutation_id: 'key-1',
};
const stars = { null: 9012, 0: 3, 1: 0, 2: 14, 3: 120, 4: 40, 5: 17 };

const valid: [string, MessageSchema, unknown][] = [
  ['sidecar', sidecarSchema, sidecar],
  ['item', itemViewSchema, item],
  [
    'item detail',
    itemDetailSchema,
    {
      ...item,
      seq: 42,
      folder: '/cats',
      modified_at: '2026-02-01T09:00:00.000Z',
      file_url: '/file?path=/cats/a.jpg',
      field_versions: { star: 3, notes: 0, tags: 2 },
    },
  ],
  [
    'folders',
    foldersAnswerSchema,
    {
      path: '/cats',
      seq: 1234,
      items: [item],
      folders: [{ name: 'kittens', kind: 'leaf', count: 12 }],
      total_items: 1,
      offset: 0,
      limit: 1000,
    },
  ],
  ['tags', tagsAnswerSchema, { path: '/', seq: 3, tags: [{ tag: 'cute', count: 31 }] }],
  [
    'query',
    queryAnswerSchema,
    {
      path: '/cats',
      seq: 1234,
      items: [item],
      total: 10432,
      filtered_total: 57,
      offset: 0,
      limit: 100,
      facets: { star: stars },
    },
  ],
  [
    'write answer',
    writeAnswerSchema,
    {
      sidecar,
      mutation_id: 'key-1',
      accepted_event: null,
      persistence: 'saved',
      rebased: false,
    },
  ],
  [
    'batch answer',
    batchAnswerSchema,
    {
      seq: 57,
      mutation_id: 'key-2',
      persistence: 'relaxed',
      results: [
        {
          path: '/a.jpg',
          status: 'conflict',
          current: sidecar,
          error: { error: 'version_conflict', message: 'm', conflicting_fields: ['star'] },
        },
        { path: '/b.jpg', status: 'applied', sidecar },
      ],
      applied: 1,
      unchanged: 0,
      conflicts: 1,
      failed: 0,
    },
  ],
  [
    'history',
    historyAnswerSchema,
    {
      path: '/a.jpg',
      seq: 57,
      version: 4,
      next_before: null,
      records: [
        {
          seq: 12,
          at: '2026-03-01T10:00:00.000Z',
          actor: 'ana',
          version: 4,
          mutation_id: 'key-3',
          changed_fields: ['metrics'],
          changes: [{ kind: 'metrics_set', metrics: { score: null }, from: { score: 0.5 } }],
        },
      ],
    },
  ],
  [
    'presence move',
    presenceMoveAnswerSchema,
    { client_id: 'tab', lease_id: 'L', from_scope: counts, to_scope: counts },
  ],
  [
    'views',
    savedViewsDocumentSchema,
    {
      version: 1,
      revision: 7,
      views: [{ id: 'v', name: 'best', pool: { kind: 'folder', path: '/' }, view: {}, extra: 1 }],
    },
  ],
  ['hello', helloSchema, { seq: 0, log_id: 'L' }],
  ['item-updated', itemUpdateSchema, update],
  ['resync-required', resyncSchema, { reason: 'too_far_behind', seq: 3 }],
  ['persistence', persistenceEventSchema, { state: 'failing', error: 'ENOSPC', since: 'x' }],
  ['folder-updated', folderUpdatedSchema, { path: '/cats', added: 1, removed: 0, changed: 2 }],
  [
    'table-updated',
    tableUpdatedSchema,
    {
      prefix: '/',
      generation: 2,
      state: 'ready',
      rows: 270,
      added: 0,
      removed: 30,
      changed: 270,
      error: null,
    },
  ],
  [
    'query with a projection and a derived score',
    queryAnswerSchema,
    {
      path: '/',
      seq: 3,
      items: [{ ...item, missing: true, fields: { aesthetic: 6.2, style: 'anime', kw: ['a'] } }],
      total: 300,
      filtered_total: 1,
      offset: 0,
      limit: 1,
      facets: { star: stars },
      derived: {
        key: '@derived',
        formula: 'z(aesthetic) + 2*clip_score',
        name: null,
        population_count: 300,
        valid_count: 272,
        invalid_count: 28,
        z_stats: { aesthetic: { mean: 4.99, std: 2.87, count: 272 } },
      },
      generation: 1,
    },
  ],
  [
    'fields',
    fieldsAnswerSchema,
    {
      path: '/',
      seq: 3,
      generation: 1,
      scope_total: 300,
      fields: [
        {
          name: 'aesthetic',
          kind: 'metric',
          origin: 'table',
          present: 282,
          missing: 18,
          min: 0.01,
          max: 9.98,
          distinct: null,
          label_values: 2,
          sortable: true,
          filterable: true,
          searchable: false,
        },
        {
          name: 'style',
          kind: 'categorical',
          origin: 'table',
          present: 291,
          missing: 9,
          min: null,
          max: null,
          distinct: 5,
          values: ['anime', 'photo'],
          label_values: 0,
          sortable: true,
          filterable: true,
          searchable: false,
        },
      ],
      version: 1,
      generated_at: '2026-03-01T10:00:00.000Z',
      metric_keys: ['aesthetic'],
      categorical_keys: ['style'],
      field_capabilities: { version: 1, metrics: {} },
    },
  ],
  [
    'facets',
    facetsAnswerSchema,
    {
      path: '/',
      seq: 3,
      generation: 1,
      scope_total: 300,
      filtered_total: 120,
      star: stars,
      histograms: {
        aesthetic: {
          min: 0,
          max: 10,
          bins: [3, 4],
          selected: [0, 4],
          count: 7,
          missing: { null: 1, nan: 0 },
          total: 8,
        },
      },
      categories: {
        style: { values: [{ value: 'anime', count: 5, selected: 5 }], missing: 1, total: 6 },
      },
      derived: null,
    },
  ],
];

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
    const built = toItemUpdate(record, labelsWith({ metrics: { s: 1 }, version: 3 }));
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
    },
    presence: { anything: [1] },
    live: { clients: 3, new_counter: 1 },
    indexing: { state: 'ready', items: 1, skipped: { unreadable: 0 }, error: null },
    watch: { mode: 'poll', requested: 'native', reason: 'watch limit' },
    thumbnails: { size: 256, quality: 70, rendered: 1 },
  };
  expect(readMessage(healthAnswerSchema, health)).toEqual({ ok: true, data: health });
  const { can_write: _, ...without } = health;
  expect(readMessage(healthAnswerSchema, without)).toEqual({
    ok: false,
    problem: 'can_write: expected boolean',
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
