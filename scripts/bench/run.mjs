// Runs benchmark scripts (scripts/bench/<name>.ts) one after another through tsx, passing on
// extra flags (e.g. --quick). Benchmarks print their own tables.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
let failed = 0;
for (const name of names) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named "${name}" (${file})`);
    failed += 1;
    continue;
  }
  console.log(`\n=== bench: ${name} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...flags], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
