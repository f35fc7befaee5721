import { CrashFs, openJsonlStore } from '../packages/store/src/index.ts';
const disk = new CrashFs(); await disk.mkdir('/ws'); await disk.syncDir('/');
const store = await openJsonlStore('/ws/.lenslet', { fs: disk, lock: false, onWarning: () => {}, snapshot_every_records: 1e9, compact_above_bytes: 0 });
const callers = 256;
let done = 0, n = 0;
const total = Number(process.argv[2] ?? 200000);
const loop = async (id: number) => { while (n < total) { const i = n++; await store.apply({ path: `/t/x-${i % 5000}.jpg` as any, patch: { add_tags: [`x${i}`] } }, { actor: 'bench', mutation_id: `k-${id}-${i}`, mode: 'patch' }); done++; } };
for (let r = 0; r < 3; r++) {
  n = 0; done = 0;
  const c = process.cpuUsage(); const t = performance.now();
  await Promise.all(Array.from({ length: callers }, (_, id) => loop(id + r * 1000)));
  const cpu = process.cpuUsage(c);
  console.log('cpu µs/apply', ((cpu.user + cpu.system) / done).toFixed(1), 'wall µs/apply', ((performance.now() - t) * 1000 / done).toFixed(1));
}
process.exit(0);
