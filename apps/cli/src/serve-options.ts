/**
 * `lenslet serve` options: flags, then `LENSLET_*` environment variables, then defaults, merged
 * into one raw record and validated by one zod schema. Errors name where the bad value came from
 * (`--port` or `LENSLET_PORT`) and are usage errors (exit 2).
 */
import { describeIssues, LensletError } from '@lenslet/core';
import { TOKEN_PATTERN } from '@lenslet/server';
import { z } from 'zod';
import { parseArgv } from './workspace.ts';

export const DEFAULT_PORT = 7070;

/** Each option: its flag, its environment variable, and whether it is a switch. */
const OPTIONS = {
  port: { flag: 'port', env: 'LENSLET_PORT', kind: 'string' },
  strict_port: { flag: 'strict-port', env: 'LENSLET_STRICT_PORT', kind: 'boolean' },
  host: { flag: 'host', env: 'LENSLET_HOST', kind: 'string' },
  no_write: { flag: 'no-write', env: 'LENSLET_NO_WRITE', kind: 'boolean' },
  durability: { flag: 'durability', env: 'LENSLET_DURABILITY', kind: 'string' },
  thumb_size: { flag: 'thumb-size', env: 'LENSLET_THUMB_SIZE', kind: 'string' },
  thumb_quality: { flag: 'thumb-quality', env: 'LENSLET_THUMB_QUALITY', kind: 'string' },
  read_only: { flag: 'read-only', env: 'LENSLET_READ_ONLY', kind: 'boolean' },
  token: { flag: 'token', env: 'LENSLET_TOKEN', kind: 'string' },
  public_url: { flag: 'public-url', env: 'LENSLET_PUBLIC_URL', kind: 'string' },
  watch: { flag: 'watch', env: 'LENSLET_WATCH', kind: 'string' },
  open: { flag: 'open', env: 'LENSLET_OPEN', kind: 'boolean' },
  workspace: { flag: 'workspace', env: 'LENSLET_WORKSPACE', kind: 'string' },
  table: { flag: 'table', env: 'LENSLET_TABLE', kind: 'string' },
  path_column: { flag: 'path-column', env: 'LENSLET_PATH_COLUMN', kind: 'string' },
  root: { flag: 'root', env: 'LENSLET_ROOT', kind: 'string' },
} as const;

type OptionKey = keyof typeof OPTIONS;

const envBoolean = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false (1/0, yes/no)' });
  return z.NEVER;
});

const intFrom = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const publicUrlSchema = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL such as https://gallery.example.org' });
    return z.NEVER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'must start with http:// or https://' });
    return z.NEVER;
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be just scheme://host[:port] (Lenslet cannot be served under a sub-path)',
    });
    return z.NEVER;
  }
  return url.origin;
});

const serveSchema = z.object({
  port: intFrom(0, 65535),
  strict_port: envBoolean,
  host: z
    .string()
    .min(1, 'must not be empty')
    .regex(/^(?:\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9.-]+)$/, 'must be an IP address or a host name'),
  no_write: envBoolean,
  durability: z.enum(['fsync', 'relaxed'], 'must be fsync or relaxed'),
  thumb_size: intFrom(32, 2048),
  thumb_quality: intFrom(1, 100),
  read_only: envBoolean,
  token: z
    .string()
    .regex(TOKEN_PATTERN, 'must be 16–256 characters of A-Z a-z 0-9 . _ ~ -')
    .nullable(),
  public_url: publicUrlSchema.nullable(),
  watch: z.enum(['native', 'poll', 'off'], 'must be native, poll or off'),
  open: envBoolean,
  workspace: z.string().min(1, 'must not be empty').nullable(),
  table: z.string().min(1, 'must not be empty').nullable(),
  path_column: z.string().min(1, 'must not be empty').max(256).nullable(),
  root: z.string().min(1, 'must not be empty').nullable(),
});

export type ServeOptions = z.output<typeof serveSchema> & {
  /** Folders as given on the command line (`dir` or `name=dir`). */
  readonly sources: readonly string[];
  /** True when the port came from a flag or LENSLET_PORT (then the remembered port is not used). */
  readonly port_given: boolean;
};

const DEFAULTS: Record<OptionKey, string | boolean | null> = {
  port: String(DEFAULT_PORT),
  strict_port: false,
  host: '127.0.0.1',
  no_write: false,
  durability: 'fsync',
  thumb_size: '256',
  thumb_quality: '70',
  read_only: false,
  token: null,
  public_url: null,
  watch: 'native',
  open: false,
  workspace: null,
  table: null,
  path_column: null,
  root: null,
};

/** Parse `lenslet serve` arguments; `{help: true}` when help was asked for. */
export function parseServeOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServeOptions | { readonly help: true } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const parsed = parseArgv(
    argv,
    {
      port: { type: 'string', short: 'p' },
      host: { type: 'string', short: 'H' },
      ...Object.fromEntries(
        Object.values(OPTIONS)
          .filter((o) => o.flag !== 'port' && o.flag !== 'host')
          .map((o) => [o.flag, { type: o.kind }]),
      ),
    },
    (first) => `${first} (see: lenslet serve --help)`,
  );

  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [key, option] of Object.entries(OPTIONS) as [
    OptionKey,
    (typeof OPTIONS)[OptionKey],
  ][]) {
    const fromFlag = parsed.values[option.flag];
    const fromEnv = env[option.env];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      origin[key] = `--${option.flag}`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = fromEnv;
      origin[key] = option.env;
    } else {
      raw[key] = DEFAULTS[key];
      origin[key] = 'the default';
    }
  }
  const result = serveSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0]);
    const where = origin[key] ?? key;
    const value = raw[key];
    throw new LensletError(
      'usage',
      `${where}${typeof value === 'string' ? ` "${value}"` : ''} ${describeIssues(
        new z.ZodError([{ ...issue, path: [] }]),
      )} (see: lenslet serve --help)`,
    );
  }
  return {
    ...result.data,
    sources: parsed.positionals,
    port_given: origin.port !== 'the default',
  };
}
