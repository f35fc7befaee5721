import { readdirSync, statSync, stat as statCb } from 'node:fs';
import { join } from 'node:path';
const root = '/tmp/lenslet-bench-gallery/tree-100000';
const files: string[] = [];
for (const s of readdirSync(root)) { if (s.startsWith('.')) continue; for (const b of readdirSync(join(root, s))) for (const f of readdirSync(join(root, s, b))) files.push(join(root, s, b, f)); }
const mode = process.argv[2]!;
const t = performance.now();
if (mode === 'sync') for (const f of files) statSync(f);
else { const c = Number(mode); let i = 0; await Promise.all(Array.from({ length: c }, async () => { while (i < files.length) await new Promise((r) => statCb(files[i++]!, r)); })); }
console.log(mode, process.env.UV_THREADPOOL_SIZE, (performance.now() - t).toFixed(0), 'ms');
