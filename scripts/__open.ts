import { openJsonlStore } from '../packages/store/src/index.ts';
const dir = process.argv[2]!;
const c = process.cpuUsage(); const t = performance.now();
const s = await openJsonlStore(dir, { onWarning: () => {}, lock: false });
const u = process.cpuUsage(c);
console.log('open wall', (performance.now() - t).toFixed(0), 'user', (u.user / 1000).toFixed(0), 'sys', (u.system / 1000).toFixed(0), 'head', s.head(), 'rss MB', (process.memoryUsage().rss / 2**20).toFixed(0));
process.exit(0);
