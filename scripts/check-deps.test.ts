// The dependency check on small made-up repositories: it passes a clean one and names every
// broken rule of a bad one, each import cycle with its files in import order.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';

const CHECK = join(import.meta.dirname, 'check-deps.mjs');
let root: string | null = null;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});

const pkg = (
  name: string,
  deps: Record<string, string> = {},
  exports = { '.': './src/index.ts' },
) => JSON.stringify({ name: `@lenslet/${name}`, exports, dependencies: deps });

/** A repository of `files` (path → text); package.json files included. */
function repo(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'lenslet-deps-'));
  for (const dir of ['packages', 'apps']) mkdirSync(join(root, dir));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function check(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CHECK, '--root', dir]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const CLEAN = {
  'packages/core/package.json': pkg('core'),
  'packages/core/src/index.ts': "export { a } from './a.ts';\n",
  'packages/core/src/a.ts': 'export const a = 1;\n',
  'packages/store/package.json': pkg('store', { '@lenslet/core': '*' }),
  'packages/store/src/index.ts': "import { a } from '@lenslet/core';\nexport const b = a;\n",
  'packages/test-kit/package.json': pkg('test-kit', { '@lenslet/core': '*' }),
  'packages/test-kit/src/index.ts': 'export const kit = 1;\n',
  'packages/store/src/b.test.ts': "import { kit } from '@lenslet/test-kit';\nexport { kit };\n",
  'scripts/run.ts':
    "import { kit } from '@lenslet/test-kit';\nimport { b } from '@lenslet/store';\n",
  'test/e2e.test.ts': "import { kit } from '@lenslet/test-kit';\nexport { kit };\n",
};

test('a repository that keeps every rule passes', async () => {
  const result = await check(repo(CLEAN));
  expect(result.out).toContain('dependencies point one way');
  expect(result.code).toBe(0);
});

test('every broken rule is named, each import cycle with its files in order', async () => {
  const result = await check(
    repo({
      ...CLEAN,
      'packages/core/src/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
      'packages/core/src/b.ts': "import type { c } from './c.ts';\nexport const b = 1;\n",
      'packages/core/src/c.ts':
        "import { a } from './a.ts';\nimport 'node:fs';\nexport const c = a;\n",
      'packages/store/src/kit-user.ts': "import { kit } from '@lenslet/test-kit';\n",
      'packages/store/src/deep.ts': "export { x } from '@lenslet/core/src/a.ts';\n",
      'scripts/reach.ts': "import { e } from '../test/e2e.test.ts';\n",
      'test/back.ts': "const m = await import('../scripts/run.ts');\n",
    }),
  );
  expect(result.code).toBe(1);
  const lines = result.out.split('\n').map((l) => l.trim());
  expect(lines).toContain(
    'import cycle (3 files): packages/core/src/a.ts → packages/core/src/b.ts → packages/core/src/c.ts → packages/core/src/a.ts',
  );
  expect(lines).toContain(
    'packages/core/src/c.ts imports node:fs, but core must stay browser-safe',
  );
  expect(lines).toContain(
    'packages/store/src/kit-user.ts imports the test kit (only scripts/, test/ and *.test.ts may)',
  );
  expect(lines).toContain(
    'packages/store/src/deep.ts imports @lenslet/core/src/a.ts, which no package exports',
  );
  expect(lines).toContain(
    'scripts/reach.ts reaches into test/e2e.test.ts (import it by package name)',
  );
  expect(lines).toContain('test/back.ts reaches into scripts/run.ts (import it by package name)');
});

test('a package may not depend on one the table does not allow', async () => {
  const result = await check(
    repo({ ...CLEAN, 'packages/core/package.json': pkg('core', { '@lenslet/store': '*' }) }),
  );
  expect(result.code).toBe(1);
  expect(result.out).toContain('packages/core/package.json depends on @lenslet/store');
});
