/**
 * Canonical item and folder paths. Every path that names an image or a folder — in the log, the
 * snapshot, the HTTP API, SSE payloads and the browser — goes through `toCanonicalPath`.
 *
 * Invariants of a canonical path: starts with `/`, segments separated by a single `/`, no trailing
 * slash (the root is `/`), Unicode NFC, case kept, no `.` or `..` segment, no NUL or control
 * character, no lone surrogate. Traversal is rejected, never resolved.
 */
import { LensletError } from './errors.ts';
import { hasControlChar, hasLoneSurrogate } from './text.ts';

export type CanonicalPath = string & { readonly __brand: 'CanonicalPath' };

export const ROOT_PATH = '/' as CanonicalPath;

/** Longest accepted path in UTF-16 code units; longer input is rejected, not truncated. */
export const MAX_PATH_LENGTH = 4096;

/** Why a raw path is not canonicalizable, or null when it is. */
export function pathProblem(raw: string): string | null {
  if (typeof raw !== 'string') return 'path must be a string';
  if (raw.length > MAX_PATH_LENGTH) return `path is longer than ${MAX_PATH_LENGTH} characters`;
  if (raw.includes('\u0000')) return 'path contains a NUL character';
  if (hasControlChar(raw)) return 'path contains a control character';
  if (hasLoneSurrogate(raw)) return 'path contains an unpaired surrogate';
  const segments = raw.replaceAll('\\', '/').split('/');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return `path contains a "${segment}" segment`;
  }
  return null;
}

/**
 * Canonical form of a raw path, or null when it must be rejected.
 * 'a\\b.jpg' => '/a/b.jpg' · 'a//b.jpg/' => '/a/b.jpg' · '' => '/' · '/x/../y' => null
 */
export function toCanonicalPath(raw: string): CanonicalPath | null {
  if (pathProblem(raw) !== null) return null;
  const segments = raw
    .normalize('NFC')
    .replaceAll('\\', '/')
    .split('/')
    .filter((s) => s !== '');
  return `/${segments.join('/')}` as CanonicalPath;
}

/** Like `toCanonicalPath` but throws `invalid_path` naming the problem. */
export function assertCanonicalPath(raw: unknown, what = 'path'): CanonicalPath {
  if (typeof raw !== 'string') {
    throw new LensletError('invalid_path', `${what} is required and must be a string`);
  }
  const problem = pathProblem(raw);
  if (problem !== null) throw new LensletError('invalid_path', `invalid ${what}: ${problem}`);
  return toCanonicalPath(raw)!;
}

/** True when `value` is already canonical (cheap check for data read back from our own files). */
export function isCanonicalPath(value: string): value is CanonicalPath {
  return toCanonicalPath(value) === value;
}

/** '/a/b/c.jpg' => '/a/b' · '/c.jpg' => '/' · '/' => '/' */
export function parentPath(path: CanonicalPath): CanonicalPath {
  const i = path.lastIndexOf('/');
  return (i <= 0 ? '/' : path.slice(0, i)) as CanonicalPath;
}

/** '/a/b/c.jpg' => 'c.jpg' · '/' => '' */
export function baseName(path: CanonicalPath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** joinPath('/a', 'b.jpg') => '/a/b.jpg' · joinPath('/', 'b.jpg') => '/b.jpg' (name must be one segment) */
export function joinPath(folder: CanonicalPath, name: string): CanonicalPath {
  return (folder === '/' ? `/${name}` : `${folder}/${name}`) as CanonicalPath;
}

/** isWithin('/a', '/a/b.jpg') => true · isWithin('/a', '/ab.jpg') => false · isWithin('/', x) => true */
export function isWithin(folder: CanonicalPath, path: CanonicalPath): boolean {
  if (folder === '/') return true;
  return path === folder || path.startsWith(`${folder}/`);
}
