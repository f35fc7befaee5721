// The repository's code as units and files (pure reading, no rules): every workspace package
// (packages/*, apps/*) and the scripts/ and test/ folders; the imports of each file; and where an
// import leads — a file, so cycles can be followed across packages.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

const CODE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
const SKIP = new Set(['node_modules', 'dist', 'fixtures']);
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts'];

/**
 * @typedef {{ name: string, dir: string, kind: 'package' | 'folder',
 *   manifest: Record<string, any> | null }} Unit
 *   `name` is the short package name (`store` for @lenslet/store) or the folder (`scripts`).
 */

/** @returns {Unit[]} */
export function units(root) {
  const found = [];
  for (const folder of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      const dir = join(folder, name);
      if (!existsSync(join(root, dir, 'package.json'))) continue;
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      found.push({
        name: manifest.name.replace(/^@lenslet\//, ''),
        dir,
        kind: 'package',
        manifest,
      });
    }
  }
  for (const folder of ['scripts', 'test']) {
    if (existsSync(join(root, folder)))
      found.push({ name: folder, dir: folder, kind: 'folder', manifest: null });
  }
  return found;
}

/** Code files under `dir` (relative to root, `/`-separated), skipping node_modules, dist, fixtures. */
export function* codeFiles(root, dir) {
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) yield* codeFiles(root, path);
    else if (CODE.test(name) && !name.endsWith('.d.mts') && !name.endsWith('.d.ts'))
      yield path.split(sep).join('/');
  }
}

const STATIC = /^[ \t]*(?:import|export)\b([^;'"]*?)\bfrom\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a file imports (static, re-exports, side-effect and dynamic imports). */
export function importsOf(text) {
  const specs = [];
  for (const m of text.matchAll(STATIC)) specs.push(m[2]);
  for (const m of text.matchAll(SIDE_EFFECT)) specs.push(m[1]);
  for (const m of text.matchAll(DYNAMIC)) specs.push(m[1]);
  return specs;
}

/** The file an `@lenslet/<name>[/<sub>]` import leads to, by the package's `exports`; else null. */
export function resolvePackage(unitsByName, spec) {
  const match = /^@lenslet\/([^/]+)(\/.+)?$/.exec(spec);
  const unit = match && unitsByName.get(match[1]);
  if (!unit?.manifest) return null;
  const target = unit.manifest.exports?.[match[2] ? `.${match[2]}` : '.'];
  return typeof target === 'string' ? join(unit.dir, target).split(sep).join('/') : null;
}

/** The file a relative import from `from` leads to (relative to root), or null outside code. */
export function resolveRelative(root, from, spec) {
  const base = join(dirname(from), spec);
  for (const ext of EXTENSIONS) {
    const path = base + ext;
    if (CODE.test(path) && existsSync(join(root, path)) && statSync(join(root, path)).isFile())
      return path.split(sep).join('/');
  }
  return null;
}
