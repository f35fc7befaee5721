/** What Linux says about a running process (/proc): CPU time and memory, for benchmarks. */
import { readFile } from 'node:fs/promises';

const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) process `pid` has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Resident memory now and at its peak, in MiB. */
export async function memoryMib(pid: number): Promise<{ rss_mib: number; hwm_mib: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss_mib: kib('VmRSS') / 1024, hwm_mib: kib('VmHWM') / 1024 };
}
