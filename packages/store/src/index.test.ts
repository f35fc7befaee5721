// Test doubles and the contract suite are reachable only through `@lenslet/store/testing`: the
// main entry does not export them, and no production file of the store imports from testing/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import * as main from './index.ts';
import * as testing from './testing/index.ts';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

test('the main entry exports no test double; the testing entry does', () => {
  const doubles = ['CrashFs', 'FaultInjector', 'describeStoreContract', 'bundleForTest'];
  expect(Object.keys(main).filter((name) => doubles.includes(name))).toEqual([]);
  expect(doubles.filter((name) => !(name in testing))).toEqual([]);
});

test('no production file of the store imports from testing/', () => {
  const offenders: string[] = [];
  for (const file of sources(SRC)) {
    const name = relative(SRC, file);
    if (name.startsWith('testing/') || name.endsWith('.test.ts')) continue;
    if (/from '(\.\.?\/)+testing\//.test(readFileSync(file, 'utf8'))) offenders.push(name);
  }
  expect(offenders).toEqual([]);
});
