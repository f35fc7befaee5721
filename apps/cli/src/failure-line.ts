/**
 * What the CLI prints for a failure that is not a LensletError: one line, never a stack trace.
 * A filesystem or network error (Node's `{code: 'E…', syscall}`) is the machine refusing
 * something, so its own message says it all; anything else is a bug in Lenslet, said as such.
 * `LENSLET_DEBUG=1` adds the stack for whoever reports it.
 */
type SystemError = Error & { code: string; syscall?: string; path?: string };

function isSystemError(error: unknown): error is SystemError {
  return (
    error instanceof Error &&
    typeof (error as SystemError).code === 'string' &&
    /^E[A-Z0-9]+$/.test((error as SystemError).code)
  );
}

export function failureLine(command: string, error: unknown, debug: boolean): string {
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (isSystemError(error)) {
    return `lenslet ${command}: the system refused: ${error.message}${stack}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug ? stack : ' (a bug in lenslet; LENSLET_DEBUG=1 shows where)';
  return `lenslet ${command}: internal error: ${message}${hint}\n`;
}
