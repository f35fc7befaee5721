/**
 * zod at the edges: turn a failed parse into one `LensletError` whose message names the field.
 */
import type { z } from 'zod';
import { type ErrorCode, LensletError } from './errors.ts';

/** Human-readable summary of the first few issues: `set_star: Too big: expected number to be <=5`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
          .map((k) => `"${where ? `${where}.` : ''}${k}"`)
          .join(', ')}`;
      }
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parse `input` with `schema` or throw `code` with a message naming the offending field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: ErrorCode = 'invalid_request',
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new LensletError(code, describeIssues(result.error, prefix));
}
