/**
 * The body of every refusal: `{error, message, ...details}` with the status of the error table
 * (`ERROR_STATUS`), also the `error` of a failed item in a batch answer.
 *
 * Invariants: `error` is a code of the table; `message` says what to do and never carries a
 * stack trace; details are extra fields named by the route (`current` on a version conflict,
 * `conflicting_fields`, `current_revision`, …) and are kept as they come.
 */
import * as z from 'zod/mini';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z.looseObject({
  error: z.enum(ERROR_CODES),
  message: z.string(),
});
