/** Wall and CPU time of a benchmark step: on a shared machine the CPU time is the part that is ours. */

let lastCpuMs = 0;

/** Wall time of `fn`; its CPU time (this process, all threads) is kept for `secCpu`. */
export async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return [result, performance.now() - started];
}

export const sec = (n: number) => `${(n / 1000).toFixed(2)} s`;

/** '1.23 s (CPU 0.98 s)' for the last `time` call. */
export const secCpu = (wallMs: number) => `${sec(wallMs)} (CPU ${sec(lastCpuMs)})`;
