/**
 * Parts of @lenslet/store this store shares instead of copying: the write head (decide + seq
 * reservation), the answer builder, the idempotency rules and the fingerprint's mode. They are not
 * exported from the package yet.
 * lead: export these from @lenslet/store (or its ./testing-free internals entry) and import them
 * by name; this file is the one place that reaches into packages/store/src.
 */

export { ARCHIVE_BLOCK_BYTES } from '../../store/src/archive.ts';
export { modeOf } from '../../store/src/fingerprint.ts';
export {
  IDEMPOTENCY_MIN_AGE_MS,
  IDEMPOTENCY_MIN_RECORDS,
  type IdempotencyEntry,
  IdempotencyIndex,
} from '../../store/src/idempotency.ts';
export { persistenceUnavailable } from '../../store/src/log-writer.ts';
export { applyOne, toOutcomes } from '../../store/src/outcomes.ts';
export { type PlannedWrite, WriteHead } from '../../store/src/write-head.ts';
