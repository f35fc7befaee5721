import { describe, expect, it } from 'vitest';
import { failureLine } from './failure-line.ts';

const systemError = () =>
  Object.assign(new Error('ENOENT: no such file or directory, ftruncate'), {
    code: 'ENOENT',
    errno: -2,
    syscall: 'ftruncate',
  });

describe('failureLine', () => {
  it('says a filesystem refusal in one line, without a stack', () => {
    const line = failureLine('serve', systemError(), false);
    expect(line).toBe(
      'lenslet serve: the system refused: ENOENT: no such file or directory, ftruncate\n',
    );
  });

  it('names anything else as a bug, in one line, and says how to see where', () => {
    const line = failureLine(
      'compact',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      false,
    );
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    expect(line).toMatch(
      /^lenslet compact: internal error: Cannot read properties .*LENSLET_DEBUG=1/,
    );
    expect(line).not.toMatch(/\n\s+at /);
  });

  it('adds the stack only with LENSLET_DEBUG', () => {
    expect(failureLine('serve', systemError(), true)).toMatch(/\n\s*at /);
    expect(failureLine('serve', new Error('x'), true)).toMatch(
      /^lenslet serve: internal error: x\nError: x\n\s+at /,
    );
  });

  it('takes a thrown non-Error too', () => {
    expect(failureLine('replay', 'boom', false)).toMatch(/^lenslet replay: internal error: boom /);
  });
});
