// Runs benchmark scripts (scripts/bench/<name>.ts) one after another through tsx, passing on
// extra flags (e.g. --quick). Benchmarks print their own tables. Each runs under the node flags
// the `lenslet` bin gives the server (its young-generation size), so that what the store
// benchmarks time in their own process is what `lenslet serve` does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const { BIN, binNodeFlags } = await tsImport('@lenslet/test-kit', import.meta.url);
const nodeFlags = binNodeFlags(BIN);
let failed = 0;
for (const name of names) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named "${name}" (${file})`);
    failed += 1;
    continue;
  }
  console.log(`\n=== bench: ${name} === (node ${[...nodeFlags, '--import tsx'].join(' ')})`);
  const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', file, ...flags], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
