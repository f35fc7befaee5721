/**
 * Every child process a test or script started through the kit: SIGKILLed when this process
 * exits, whatever the test did, so no server outlives the run that started it.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Track `child` until it exits. */
export function killOnExit(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
