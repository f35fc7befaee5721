// Fails when @lenslet/* dependencies or imports leave the one-way table, or when core or web
// import a Node built-in (they must stay browser-safe).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ALLOWED = {
  core: [],
  store: ['core'],
  gallery: ['core'],
  postgres: ['core', 'store'],
  server: ['core', 'store', 'gallery'],
  cli: ['core', 'store', 'gallery', 'server', 'postgres'],
  web: ['core'],
};
const DIRS = {
  core: 'packages/core',
  store: 'packages/store',
  gallery: 'packages/gallery',
  postgres: 'packages/postgres',
  server: 'packages/server',
  cli: 'apps/cli',
  web: 'apps/web',
};
const BROWSER_SAFE = new Set(['core', 'web']);
const problems = [];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

for (const [pkg, dir] of Object.entries(DIRS)) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const name = dep.startsWith('@lenslet/') ? dep.slice(9) : null;
    if (name && !ALLOWED[pkg].includes(name))
      problems.push(`${dir}/package.json depends on ${dep}`);
  }
  for (const file of sources(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      if (spec.startsWith('@lenslet/')) {
        const name = spec.slice(9).split('/')[0];
        if (!ALLOWED[pkg].includes(name)) problems.push(`${file} imports ${spec}`);
        // `@lenslet/<pkg>/testing` is the one subpath: test harnesses, for tests only.
        const subpath = spec.split('/').slice(2).join('/');
        if (subpath !== '' && subpath !== 'testing')
          problems.push(`${file} deep-imports ${spec} (import the package name)`);
      }
      const isTest = /\.test\.tsx?$/.test(file);
      if (
        BROWSER_SAFE.has(pkg) &&
        !isTest &&
        (spec.startsWith('node:') || ['fs', 'path', 'crypto', 'os'].includes(spec))
      ) {
        problems.push(`${file} imports ${spec}, but ${pkg} must stay browser-safe`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`dependency rules broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`dependencies point one way (${Object.keys(DIRS).join(', ')})`);
