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
// Edges: request metadata, validation, wire shapes, exports
export {
  ANONYMOUS_USER,
  assertIdempotencyKey,
  canonicalRequest,
  expectedVersion,
  MAX_USER_LENGTH,
  parseIfMatch,
  parseUserHeader,
} from './request.ts';
export { hasControlChar, hasLoneSurrogate } from './text.ts';
export { inversePatch } from './undo.ts';
export { describeIssues, parseOrThrow } from './validation.ts';
export {
  folderUpdatedSchema,
  helloSchema,
  type ItemUpdate,
  itemUpdateSchema,
  type PersistenceState,
  persistenceEventSchema,
  presenceEventSchema,
  type ResyncReason,
  resyncSchema,
  type Sidecar,
  sidecarSchema,
  toItemUpdate,
  toSidecar,
} from './wire.ts';
