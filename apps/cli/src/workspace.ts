/**
 * Where a command's workspace is: `dir` (default: the current directory) is either a folder of
 * images holding `.lenslet/`, or a workspace directory itself (named `.lenslet`, or holding a
 * label log, snapshot or meta file). Shared by `compact` and `replay`; the flag helpers also by
 * `serve`.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { LensletError } from '@lenslet/core';
import type { WorkerOption } from '@lenslet/store';
import type { z } from 'zod';

const WORKSPACE_FILES = ['labels.meta.json', 'labels.log.jsonl', 'labels.snapshot.json'];

export type WorkspaceLocation = {
  /** The `.lenslet` directory. */
  readonly dir: string;
  /** The folder of images it belongs to, when `dir` is `<folder>/.lenslet`; else null. */
  readonly imageRoot: string | null;
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Resolve `raw` (relative to `cwd`) to a workspace; `not_found` naming what was looked for. */
export function resolveWorkspace(raw: string | undefined, cwd: string): WorkspaceLocation {
  const path = resolve(cwd, raw ?? '.');
  if (!existsSync(path)) throw new LensletError('not_found', `${path} does not exist`);
  if (!isDirectory(path)) throw new LensletError('not_found', `${path} is not a directory`);
  const isWorkspace =
    basename(path) === '.lenslet' || WORKSPACE_FILES.some((name) => existsSync(join(path, name)));
  if (isWorkspace) {
    return { dir: path, imageRoot: basename(path) === '.lenslet' ? dirname(path) : null };
  }
  const inner = join(path, '.lenslet');
  if (isDirectory(inner)) return { dir: inner, imageRoot: path };
  throw new LensletError(
    'not_found',
    `no Lenslet workspace in ${path} (there is no ${inner}); pass the folder you served, or its .lenslet directory`,
  );
}

/** The bundled background worker beside the CLI bundle, or null (jobs then run in-process). */
export function snapshotWorker(): WorkerOption | null {
  const url = new URL('./snapshot-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(url)) ? { url } : null;
}

/** 1536 => '1.5 KiB' */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** 'Unknown option \'--x\'. To specify…' => "Unknown option '--x'" (parseArgs messages run on). */
export function firstSentence(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const end = message.indexOf('. ');
  return end === -1 ? message.replace(/\.$/, '') : message.slice(0, end);
}

export type ParsedArgs = ReturnType<typeof parseArgs>;

/**
 * Node's parseArgs, strict, folders as positionals. A parse error is a usage error: its first
 * sentence, worded by `explain` (which adds where to get help).
 */
export function parseArgv(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  explain: (first: string) => string,
): ParsedArgs {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new LensletError('usage', explain(firstSentence(error)));
  }
}

/** Validate parsed flags; a failure is a usage error whose message names the flag. */
export function parseFlagValues<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const flag = `--${issue.path.map(String).join('.')}`;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`
      : issue.message.startsWith('--')
        ? issue.message
        : `${flag}: ${issue.message}`;
  throw new LensletError('usage', message);
}
