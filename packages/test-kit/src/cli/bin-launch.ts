/**
 * How a shell starts the `lenslet` bin, for code that starts it with `process.execPath` (so that
 * the node running the tests runs the CLI too): the bin's launcher line (its second line, read
 * by /bin/sh when the bin is run as a program) gives node flags of its own unless NODE_OPTIONS
 * already sets a semi-space size. An older bin (`#!/usr/bin/env node`, a benchmark baseline)
 * gives none.
 */
import { readFileSync } from 'node:fs';

const LAUNCHER = /^':' \/\/;.*?\bflags='([^']*)'/;

/** The node flags the launcher line of `bin` adds when run with `env` (none for an older bin). */
export function binNodeFlags(bin: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const [shebang, launcher = ''] = readFileSync(bin, 'utf8').split('\n', 2);
  if (shebang !== '#!/bin/sh') return [];
  const flags = LAUNCHER.exec(launcher)?.[1];
  if (flags === undefined) throw new Error(`${bin}: the launcher line does not set flags='…'`);
  if (env.NODE_OPTIONS?.includes('semi-space-size')) return [];
  return flags.split(' ').filter((flag) => flag !== '');
}

/** Arguments for `process.execPath` that run `bin` as the launcher would, after `nodeArgs`. */
export function binArgv(
  bin: string,
  nodeArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  return [...nodeArgs, ...binNodeFlags(bin, env), bin];
}
