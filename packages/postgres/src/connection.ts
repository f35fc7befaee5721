/**
 * Connections to PostgreSQL (postgres.js) and what their failures mean to Lenslet.
 *
 * Two pools per store: `reads` (catch-up, history, replay, snapshots, LISTEN) with a client-side
 * query timeout, and the one-connection `writer` of the group commit, which is never cancelled
 * mid-COMMIT (a cancelled wait for a synchronous standby leaves the commit visible on the primary
 * but maybe not on the standby); when a write overruns its time the writer's connection is
 * destroyed instead. Multi-host URLs (`postgres://h1,h2/db?target_session_attrs=read-write`) are
 * handled by postgres.js: hosts are tried in order and only a read-write one is kept.
 */
import { LensletError } from '@lenslet/core';
import postgres, { type Sql } from 'postgres';
import type { ResolvedOptions } from './options.ts';

/** `postgres://user:secret@h/db` → `postgres://user:***@h/db` (for messages). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^/]*@/i, '$1***@');
}

/** Refuse what is not a PostgreSQL URL before any connection is tried. */
export function checkUrl(url: string): void {
  const shown = JSON.stringify(redactUrl(url));
  const bad = (why: string) => new LensletError('usage', `the store URL ${shown} ${why}`);
  const match = /^postgres(?:ql)?:\/\/(?:[^/?#]*@)?([^/?#@]*)(.*)$/i.exec(url);
  if (!match) throw bad('must start with postgres://');
  // A host list (h1:5432,h2:5433) as libpq and postgres.js accept it; IPv6 in brackets.
  for (const host of match[1]!.split(',')) {
    const parts = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
    if (!parts) throw bad(`has a malformed host ${JSON.stringify(host)}`);
    if (parts[2] !== undefined && (Number(parts[2]) < 1 || Number(parts[2]) > 65_535)) {
      throw bad(`has a port out of range (${parts[2]})`);
    }
  }
  try {
    new URL(`postgres://localhost${match[2]}`);
    decodeURIComponent(match[2]!);
  } catch {
    throw bad('is malformed');
  }
}

const RECONNECT_MAX_S = 0.5;

type PoolKind = 'reads' | 'writer';

export function openPool(url: string, kind: PoolKind, opts: ResolvedOptions): Sql {
  const connection: Record<string, string | number> = {
    application_name: opts.application_name,
  };
  if (kind === 'writer') {
    // Waiting for the counter lock is part of the write's time; a session that dies inside a
    // transaction must not hold the counter for long.
    // A little under the write's whole budget, so a long wait ends as a clean server error (the
    // transaction surely rolled back) rather than by destroying the connection.
    connection.lock_timeout = Math.max(100, Math.floor(opts.write_timeout_ms * 0.8));
    connection.idle_in_transaction_session_timeout = Math.max(10_000, opts.write_timeout_ms * 2);
  } else {
    connection.statement_timeout = opts.read_timeout_ms;
  }
  return postgres(url, {
    max: kind === 'writer' ? 1 : 4,
    connect_timeout: opts.connect_timeout_s,
    query_timeout: kind === 'writer' ? 0 : Math.ceil(opts.read_timeout_ms / 1000),
    cancel_timeout: 2,
    keep_alive: 10,
    // postgres.js waits up to 20 s between reconnects by default; a replica should notice a
    // database that is back within a poll or two.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, RECONNECT_MAX_S),
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => {},
    connection,
  });
}

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'QUERY_TIMEOUT',
  'QUEUE_TIMEOUT',
  '57014', // query_canceled (timeouts)
  '55P03', // lock_not_available (lock_timeout on the counter)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '25006', // read_only_sql_transaction (a standby)
  '53300', // too_many_connections
]);

/** Error code of a postgres.js or socket error ('' when it has none). */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** True for failures that mean "the database cannot be reached or cannot write now". */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (UNAVAILABLE.has(code) || code.startsWith('08')) return true;
  const errors = (error as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(errors) && errors.some(isUnavailable);
}

/** What a failure at open means, as one line naming the problem. */
export function openError(error: unknown, url: string): LensletError {
  if (error instanceof LensletError) return error;
  const code = codeOf(error);
  const where = redactUrl(url);
  const message = (error as Error)?.message ?? String(error);
  if (code === '28P01' || code === '28000') {
    return new LensletError(
      'unauthorized',
      `PostgreSQL refused the login at ${where}: ${message}`,
      {
        cause: error,
      },
    );
  }
  if (code === '3D000') {
    return new LensletError('not_found', `PostgreSQL at ${where}: ${message}`, { cause: error });
  }
  if (isUnavailable(error)) {
    return new LensletError(
      'persistence_unavailable',
      `cannot reach PostgreSQL at ${where} (${code || message})`,
      { cause: error },
    );
  }
  return new LensletError('internal', `PostgreSQL at ${where}: ${message}`, { cause: error });
}
