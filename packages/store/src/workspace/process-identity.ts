/**
 * Who a process is, beyond its pid: host name, kernel boot id and the process start time. A pid
 * alone is reused after a reboot or by another container; the triple is not.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export type ProcessIdentity = {
  readonly pid: number;
  readonly host: string;
  /** /proc/sys/kernel/random/boot_id, or null where there is no /proc. */
  readonly boot_id: string | null;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22), or null. */
  readonly start_time: number | null;
};

export type Liveness = 'alive' | 'dead' | 'unknown';

/** How the lock learns about processes (tests pass a fake). */
export interface ProcessProbe {
  self(): ProcessIdentity;
  /** Is the process that wrote `holder` still running? 'unknown' when it cannot be checked. */
  liveness(holder: ProcessIdentity): Liveness;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (after the `(comm)` field, which may hold spaces). */
export function startTimeOf(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(fields[19]);
  return Number.isSafeInteger(value) ? value : null;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The real probe: /proc and signal 0. */
export function systemProbe(): ProcessProbe {
  const boot_id = readProc('/proc/sys/kernel/random/boot_id')?.trim() || null;
  const host = hostname();
  return {
    self: () => ({ pid: process.pid, host, boot_id, start_time: startTimeOf(process.pid) }),
    liveness(holder) {
      // Another host (or a container with its own hostname): its pids mean nothing here.
      if (holder.host !== host) return 'unknown';
      if (holder.boot_id !== null && boot_id !== null && holder.boot_id !== boot_id) return 'dead';
      if (!pidExists(holder.pid)) return 'dead';
      const started = startTimeOf(holder.pid);
      if (holder.start_time !== null && started !== null && started !== holder.start_time) {
        return 'dead';
      }
      return 'alive';
    },
  };
}
