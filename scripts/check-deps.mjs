// The dependency check (`npm run deps`), over every folder with code: packages/*, apps/*,
// scripts/ and test/. It fails when
// - a package's @lenslet/* dependencies or imports leave the one-way table below, or it imports
//   a path its target package does not export, or a relative path out of its own folder;
// - anything but scripts/, test/ and *.test.ts(x) files imports the test kit;
// - scripts/ and test/ import each other's files (what they share lives in the test kit);
// - core or web import a Node built-in (they must stay browser-safe);
// - files import each other in a cycle (inside a package or across packages): each cycle is
//   listed with its files in import order.
// `node scripts/check-deps.mjs [--root <dir>]` (another root: for its own test).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findCycles } from './deps/cycles.mjs';
import { codeFiles, importsOf, resolvePackage, resolveRelative, units } from './deps/graph.mjs';

const ALLOWED = {
  core: [],
  store: ['core'],
  gallery: ['core'],
  table: ['core'],
  server: ['core', 'store', 'gallery', 'table'],
  cli: ['core', 'store', 'gallery', 'server', 'table'],
  web: ['core'],
  'test-kit': ['core', 'store'],
};
const TEST_KIT = 'test-kit';
const BROWSER_SAFE = new Set(['core', 'web']);
const NODE_BUILTINS = ['fs', 'path', 'crypto', 'os'];
const isTest = (file) => /\.test\.tsx?$/.test(file);

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const ROOT = values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const all = units(ROOT);
const byName = new Map(all.filter((u) => u.kind === 'package').map((u) => [u.name, u]));
const unitOf = (file) => all.find((u) => file.startsWith(`${u.dir}/`));
const problems = [];
const graph = new Map();

for (const unit of all.filter((u) => u.kind === 'package')) {
  const { dependencies = {}, devDependencies = {} } = unit.manifest;
  for (const dep of Object.keys({ ...dependencies, ...devDependencies })) {
    const name = dep.startsWith('@lenslet/') ? dep.slice(9) : null;
    if (name === TEST_KIT && dep in dependencies && unit.name !== TEST_KIT)
      problems.push(`${unit.dir}/package.json lists the test kit in dependencies`);
    else if (name && name !== TEST_KIT && !(ALLOWED[unit.name] ?? []).includes(name))
      problems.push(`${unit.dir}/package.json depends on ${dep}`);
  }
}

for (const unit of all) {
  for (const file of codeFiles(ROOT, unit.dir)) {
    const edges = new Set();
    graph.set(file, edges);
    for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      const target = checkImport(unit, file, spec);
      if (target) edges.add(target);
    }
  }
}

/** Apply the rules to one import; returns the file it leads to (for the cycle check). */
function checkImport(unit, file, spec) {
  if (spec.startsWith('@lenslet/')) {
    const name = spec.slice(9).split('/')[0];
    const target = resolvePackage(byName, spec);
    if (name === TEST_KIT) {
      if (unit.kind === 'package' && unit.name !== TEST_KIT && !isTest(file))
        problems.push(`${file} imports the test kit (only scripts/, test/ and *.test.ts may)`);
    } else if (unit.kind === 'package' && !(ALLOWED[unit.name] ?? []).includes(name)) {
      problems.push(`${file} imports ${spec}`);
    }
    if (!target) problems.push(`${file} imports ${spec}, which no package exports`);
    return target;
  }
  if (spec.startsWith('.')) {
    const target = resolveRelative(ROOT, file, spec);
    const into = target && unitOf(target);
    if (target && into !== unit)
      problems.push(`${file} reaches into ${target} (import it by package name)`);
    return target;
  }
  const builtin = spec.startsWith('node:') || NODE_BUILTINS.includes(spec);
  if (BROWSER_SAFE.has(unit.name) && unit.kind === 'package' && !isTest(file) && builtin)
    problems.push(`${file} imports ${spec}, but ${unit.name} must stay browser-safe`);
  return null;
}

for (const { path, others } of findCycles(graph)) {
  const files = [...path, ...others];
  const also = others.length > 0 ? `; tangled in it too: ${others.join(', ')}` : '';
  problems.push(`import cycle (${files.length} files): ${path.join(' → ')} → ${path[0]}${also}`);
}

if (problems.length > 0) {
  console.error(`dependency rules broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `dependencies point one way (${all.map((u) => u.name).join(', ')}); ${graph.size} files, no import cycle`,
);
