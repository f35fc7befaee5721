import { expect, test } from 'vitest';
import { createProgress } from './progress.ts';

function sink() {
  const out = {
    text: '',
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out;
}

test('on a TTY one line updates in place, at most every 100 ms, and is cleared at the end', () => {
  let now = 0;
  const out = sink();
  const progress = createProgress(out as unknown as NodeJS.WritableStream, true, () => now);
  progress.update(10, 0);
  now = 50;
  progress.update(20, 0);
  now = 150;
  progress.update(30_000, 2);
  progress.done();
  expect(out.text).toBe(
    '\r\x1b[2K  Indexing… 10 images, 0 s\r\x1b[2K  Indexing… 30,000 images (2 skipped), 0 s\r\x1b[2K',
  );
});

test('in a log, a quick scan prints nothing and a long one a line every 5 s', () => {
  let now = 0;
  const out = sink();
  const progress = createProgress(out as unknown as NodeJS.WritableStream, false, () => now);
  progress.update(10, 0);
  now = 4000;
  progress.update(20, 0);
  expect(out.text).toBe('');
  now = 6000;
  progress.update(50_000, 0);
  now = 7000;
  progress.update(60_000, 0);
  progress.done();
  expect(out.text).toBe('  Indexing… 50,000 images, 6 s\n');
});
