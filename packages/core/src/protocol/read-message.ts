/**
 * Reading a message at a client's edge (the browser, scripts): parse it with its protocol schema,
 * or say in one line what is wrong, naming the field. The line is built from the issue's code and
 * path, not its message: the web bundle leaves zod's English texts out.
 */
import * as z from 'zod/mini';

/** Any protocol schema (what `readMessage` takes), and what it parses to. */
export type MessageSchema = z.core.$ZodType;
export type MessageOf<S extends MessageSchema> = z.output<S>;

export type ReadResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly problem: string };

/** Parse `value` with `schema`: the data, or the first problem as one line. */
export function readMessage<S extends MessageSchema>(
  schema: S,
  value: unknown,
): ReadResult<MessageOf<S>> {
  const parsed = z.safeParse(schema, value);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, problem: describeFirstIssue(parsed.error) };
}

/** `{issues: [{code: 'invalid_type', expected: 'number', path: ['items', 3, 'star']}]}` => 'items.3.star: expected number' */
export function describeFirstIssue(error: {
  readonly issues: readonly z.core.$ZodIssue[];
}): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'not a valid message';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(the whole message)';
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected}`;
    case 'invalid_value':
      return issue.values.length > 4
        ? `${where}: not one of the ${issue.values.length} known values`
        : `${where}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_small':
      return `${where}: below the minimum ${String(issue.minimum)}`;
    case 'too_big':
      return `${where}: above the maximum ${String(issue.maximum)}`;
    case 'custom':
      return `${where}: ${issue.message}`;
    default:
      return `${where}: ${issue.code.replaceAll('_', ' ')}`;
  }
}
