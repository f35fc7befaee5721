/**
 * The one error type of Lenslet. Every failure a caller can act on has a code; the code decides
 * the HTTP status (table below), the CLI exit code, and the `{error, message, …}` body.
 */

/** HTTP status of every error code. A new code does not compile until it has a status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_path: 400,
  invalid_patch: 400,
  invalid_user: 400,
  invalid_idempotency_key: 400,
  invalid_json: 400,
  usage: 400,
  invalid_query: 400,
  unauthorized: 401,
  read_only: 403,
  host_not_allowed: 403,
  origin_not_allowed: 403,
  not_found: 404,
  embedding_not_found: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  invalid_lease: 409,
  scope_mismatch: 409,
  workspace_locked: 409,
  compaction_in_progress: 409,
  analysis_superseded: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  idempotency_key_reused: 422,
  unsupported_image: 422,
  invalid_table: 422,
  precondition_required: 428,
  rate_limited: 429,
  corrupt_log: 500,
  corrupt_snapshot: 500,
  internal: 500,
  persistence_unavailable: 503,
  shutting_down: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Extra fields that travel with an error body, e.g. `current` labels on a version conflict. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** A failure with a code from the table; `details` are merged into the JSON error body. */
export class LensletError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(
    code: ErrorCode,
    message: string,
    options?: ErrorOptions & { details?: ErrorDetails },
  ) {
    super(message, options);
    this.name = 'LensletError';
    this.code = code;
    this.details = options?.details ?? {};
  }
  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  /** The wire body: `{error, message, ...details}`. */
  toBody(): ErrorBody {
    return { ...this.details, error: this.code, message: this.message };
  }
}

export type ErrorBody = { error: ErrorCode; message: string; [key: string]: unknown };

/** Narrow an unknown thrown value. */
export function isLensletError(value: unknown): value is LensletError {
  return value instanceof LensletError;
}

/** Narrow a parsed JSON reply to an error body (used by clients). */
export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { error?: unknown }).error === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
