/**
 * Which caught errors the user is told about, and in what words. Pure.
 *
 * Every caught error reaches the reporter (`errors-model.ts`). It becomes a visible notice unless
 * another part of the page already says it: a background request that found the server
 * unreachable (the connection indicator shows Reconnecting…/Offline and the work is retried) or
 * a 401 (the token page replaces the app). A user action that fails is always shown.
 */
import { NetworkError, statusOf } from '../api.ts';

/** A user action (export, undo, save a view) or work the page does by itself (polling, history). */
export type ErrorOrigin = 'action' | 'background';

/** The one-line message of any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The notice text for an error caught while doing `what`, or null when it is not shown. */
export function toNotice(what: string, error: unknown, origin: ErrorOrigin): string | null {
  if (statusOf(error) === 401) return null;
  if (origin === 'background' && error instanceof NetworkError) return null;
  return `${what} failed: ${messageOf(error)}`;
}
