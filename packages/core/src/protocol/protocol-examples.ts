import { batchAnswerSchema } from './batch-answer.ts';
import { facetsAnswerSchema } from './facets.ts';
import { fieldsAnswerSchema } from './field-list.ts';
import { folderUpdatedSchema } from './folder-update.ts';
import { foldersAnswerSchema } from './folders.ts';
import { helloSchema } from './hello.ts';
import { historyAnswerSchema } from './history.ts';
import { itemUpdateSchema } from './item-update.ts';
import { itemDetailSchema, itemViewSchema } from './item-view.ts';
import { persistenceEventSchema } from './persistence-event.ts';
import { presenceMoveAnswerSchema } from './presence.ts';
import { queryAnswerSchema } from './query-answer.ts';
import type { MessageSchema } from './read-message.ts';
import { resyncSchema } from './resync.ts';
import { sidecarSchema } from './sidecar.ts';
import { syncStateSchema } from './sync-state.ts';
import { tableUpdatedSchema } from './table-update.ts';
import { tagsAnswerSchema } from './tags.ts';
import { savedViewsDocumentSchema } from './views.ts';
import { putAnswerSchema, writeAnswerSchema } from './write-answer.ts';

// Messages as docs/api.md shows them (the server suite checks the real answers).
export const labels = {
  star: 4,
  tags: ['cute'],
  notes: '',
  metrics: { score: 0.91 },
  version: 3,
  updated_at: '2026-03-01T10:00:00.000Z',
  updated_by: 'ana',
};
export const sidecar = { v: 1, path: '/cats/a.jpg', seq: 42, ...labels };
export const item = {
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
export const counts = { gallery_id: '/cats', viewing: 2, editing: 1 };
export const update = {
  seq: 43,
  path: '/cats/a.jpg',
  ...labels,
  changed_fields: ['star', 'tags'],
  changes: [
    { kind: 'star_set', star: 4, from: 2 },
    { kind: 'tags_added', tags: ['cute'] },
  ],
  mutation_id: 'key-1',
  accepted_event: { boot_epoch: 'e0', event_id: 42 },
  persistence: 'saved',
  durable_watermark: { boot_epoch: 'e0', event_id: 42 },
};
export const stars = { null: 9012, 0: 3, 1: 0, 2: 14, 3: 120, 4: 40, 5: 17 };

export const valid: [string, MessageSchema, unknown][] = [
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
      durable_watermark: { boot_epoch: 'e0', event_id: 42 },
      rebased: false,
    },
  ],
  [
    'put answer (the sidecar also at the top level)',
    putAnswerSchema,
    {
      ...sidecar,
      sidecar,
      mutation_id: 'put:1',
      accepted_event: { seq: 42, boot_epoch: 'e0', event_id: 42 },
      persistence: 'saved',
      durable_watermark: { boot_epoch: 'e0', event_id: 42 },
      rebased: false,
    },
  ],
  [
    'sync state',
    syncStateSchema,
    {
      enabled: true,
      boot_epoch: 'e0',
      state: 'saved',
      durable_watermark: { boot_epoch: 'e0', event_id: 42 },
      pending_count: 0,
      pending_bytes: 0,
      max_pending_count: 0,
      max_pending_bytes: 0,
      oldest_pending_age_ms: null,
      error: null,
      failure_total: 0,
      deadline_breach_total: 0,
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
  [
    'persistence',
    persistenceEventSchema,
    {
      enabled: true,
      boot_epoch: 'e0',
      state: 'failed',
      durable_watermark: { boot_epoch: 'e0', event_id: 41 },
      pending_count: 0,
      pending_bytes: 0,
      max_pending_count: 0,
      max_pending_bytes: 0,
      oldest_pending_age_ms: null,
      error: 'ENOSPC',
      failure_total: 1,
      deadline_breach_total: 0,
      labels_state: 'failing',
      since: 'x',
    },
  ],
  [
    'persistence with integrity',
    persistenceEventSchema,
    {
      enabled: true,
      boot_epoch: 'e0',
      state: 'saved',
      durable_watermark: { boot_epoch: 'e0', event_id: 9 },
      pending_count: 0,
      pending_bytes: 0,
      max_pending_count: 0,
      max_pending_bytes: 0,
      oldest_pending_age_ms: null,
      error: null,
      failure_total: 0,
      deadline_breach_total: 0,
      labels_state: 'saved',
      since: 'x',
      integrity: {
        recovered: null,
        history: {
          state: 'damaged',
          through_seq: 9,
          problem: 'labels.log.jsonl line 3: crc mismatch; run "lenslet compact --repair"',
        },
      },
    },
  ],
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
