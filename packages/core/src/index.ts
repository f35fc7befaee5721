// Paths

// The domain: decide / evolve / project
export { type DecideOptions, type Decision, decide } from './decide.ts';

// Errors
export {
  assertNever,
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  type ErrorDetails,
  isErrorBody,
  isLensletError,
  LensletError,
} from './errors.ts';
export {
  type Change,
  changedFields,
  changeSchema,
  isMetricsOnly,
  type LabelRecord,
  recordSchema,
} from './events.ts';
export { evolve, type RecordFacts } from './evolve.ts';
export {
  csvField,
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRow,
  encodeExport,
} from './export-codec.ts';
// Labels, patches, records
export {
  EMPTY_LABELS,
  type FieldVersions,
  isLabeled,
  type LabelField,
  type Labels,
  MAX_METRICS_PER_ITEM,
  MAX_NOTES_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  METRIC_NAME_PATTERN,
  sameTags,
} from './labels.ts';
export {
  hasSetOperation,
  MAX_METRICS_PER_PATCH,
  metricsPatchSchema,
  type Patch,
  patchSchema,
  tagSchema,
} from './patch.ts';
export {
  assertCanonicalPath,
  baseName,
  type CanonicalPath,
  isCanonicalPath,
  isWithin,
  joinPath,
  MAX_PATH_LENGTH,
  parentPath,
  pathProblem,
  ROOT_PATH,
  toCanonicalPath,
} from './paths.ts';
export {
  type FoldRecord,
  foldInto,
  initialState,
  type LabelState,
  type LabelTarget,
  project,
} from './project.ts';
// The protocol: every HTTP answer and live event, one schema each (protocol/*.ts)
export {
  type BatchAnswer,
  type BatchItemResult,
  type BatchItemStatus,
  batchAnswerSchema,
  batchItemResultSchema,
} from './protocol/batch-answer.ts';
export { DERIVED_FIELD } from './protocol/derived-field.ts';
export { errorBodySchema } from './protocol/error-body.ts';
export {
  type CategoryFacet,
  categoryFacetSchema,
  type FacetsAnswer,
  facetsAnswerSchema,
  type Histogram,
  histogramSchema,
} from './protocol/facets.ts';
export {
  FIELD_KINDS,
  FIELD_ORIGINS,
  type FieldInfo,
  type FieldKind,
  type FieldOrigin,
  type FieldsAnswer,
  type FieldValue,
  fieldInfoSchema,
  fieldsAnswerSchema,
  fieldValueSchema,
} from './protocol/field-list.ts';
export {
  canonicalPathSchema,
  type DeepReadonly,
  persistenceStateSchema,
} from './protocol/fields.ts';
export { type FolderUpdated, folderUpdatedSchema } from './protocol/folder-update.ts';
export {
  type FolderEntry,
  type FolderPathsAnswer,
  type FoldersAnswer,
  folderEntrySchema,
  folderPathsAnswerSchema,
  foldersAnswerSchema,
} from './protocol/folders.ts';
export {
  type HealthAnswer,
  healthAnswerSchema,
  type TableStatus,
  tableStatusSchema,
} from './protocol/health.ts';
export { type Hello, helloSchema } from './protocol/hello.ts';
export {
  type HistoryAnswer,
  type HistoryEntry,
  historyAnswerSchema,
  historyEntrySchema,
} from './protocol/history.ts';
export {
  type HistoryCheckState,
  type Integrity,
  integritySchema,
} from './protocol/integrity.ts';
export {
  type FrameDurability,
  type ItemUpdate,
  itemUpdateSchema,
  toItemUpdate,
} from './protocol/item-update.ts';
export {
  type ItemDetail,
  type ItemView,
  itemDetailSchema,
  itemViewSchema,
} from './protocol/item-view.ts';
export {
  type BroadcastEventName,
  isLiveEventName,
  LIVE_EVENTS,
  type LiveEvent,
  type LiveEventName,
  type RecordEventName,
} from './protocol/live-events.ts';
export {
  type GenerationMeta,
  generationMetaSchema,
  type MetadataAnswer,
  metadataAnswerSchema,
} from './protocol/metadata.ts';
export {
  isOriginalBody,
  type OriginalClause,
  type OriginalDerivedMetricBody,
  type OriginalQuery,
  originalQuerySchema,
} from './protocol/original-query-body.ts';
export {
  type PersistenceEvent,
  type PersistenceState,
  persistenceEventSchema,
} from './protocol/persistence-event.ts';
export {
  type PresenceCounts,
  type PresenceJoinAnswer,
  type PresenceLeaveAnswer,
  type PresenceMoveAnswer,
  presenceCountsSchema,
  presenceJoinAnswerSchema,
  presenceLeaveAnswerSchema,
  presenceMoveAnswerSchema,
} from './protocol/presence.ts';
export {
  type DerivedStatus,
  derivedStatusSchema,
  type QueryAnswer,
  queryAnswerSchema,
  STAR_KEYS,
  type StarFacet,
  type StarKey,
  starFacetSchema,
} from './protocol/query-answer.ts';
export {
  type DerivedFormula,
  derivedSchema,
  type FacetsQuery,
  type FolderQuery,
  facetsQuerySchema,
  fieldNameSchema,
  folderQuerySchema,
  MAX_FORMULA_CHARS,
  type NumberRange,
  QUERY_DEFAULT_LIMIT,
  QUERY_MAX_LIMIT,
  type QueryFilters,
  type QuerySort,
  queryFiltersSchema,
  querySortSchema,
} from './protocol/query-body.ts';
export {
  describeFirstIssue,
  type MessageOf,
  type MessageSchema,
  type ReadResult,
  readMessage,
} from './protocol/read-message.ts';
export { type ResyncReason, type ResyncRequired, resyncSchema } from './protocol/resync.ts';
export { type SearchAnswer, searchAnswerSchema } from './protocol/search.ts';
export { type Sidecar, sidecarSchema, toSidecar } from './protocol/sidecar.ts';
export {
  type EventIdentity,
  eventIdentitySchema,
  type SyncState,
  syncStateSchema,
} from './protocol/sync-state.ts';
export { type TableLaunchStatus, tableLaunchStatusSchema } from './protocol/table-launch.ts';
export { type TableUpdated, tableUpdatedSchema } from './protocol/table-update.ts';
export {
  type TagCount,
  type TagsAnswer,
  tagCountSchema,
  tagsAnswerSchema,
} from './protocol/tags.ts';
export {
  type SavedView,
  savedViewSchema,
  savedViewsDocumentSchema,
  type ViewsDocument,
  type ViewsUpdated,
  viewsDocumentSchema,
  viewsUpdatedSchema,
} from './protocol/views.ts';
export {
  type PutAnswer,
  putAnswerSchema,
  type WriteAnswer,
  writeAnswerSchema,
} from './protocol/write-answer.ts';
// Edges: request metadata, validation, exports
export {
  ANONYMOUS_USER,
  assertIdempotencyKey,
  canonicalJson,
  canonicalRequest,
  expectedVersion,
  MAX_USER_LENGTH,
  PATCH_OPS,
  parseIfMatch,
  parseUserHeader,
} from './request.ts';
export { hasControlChar, hasLoneSurrogate } from './text.ts';
export { inversePatch } from './undo.ts';
export { describeIssues, parseOrThrow } from './validation.ts';
