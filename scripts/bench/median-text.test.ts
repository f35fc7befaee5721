// bench:all reports the median of each printed number over the runs, in the script's own format.
import { expect, test } from 'vitest';
import { formatLike, medianText, splitTables } from './median-text.ts';
import { replaceBlock } from './replace-block.ts';

test('each number becomes its median across runs, written as the first run wrote it', () => {
  const runs = [
    'applies/s\n  fsync, 16 callers: 6,110/s (p99 1.50 ms)\n| open | 1.33 s |',
    'applies/s\n  fsync, 16 callers: 5,900/s (p99 2.10 ms)\n| open | 1.90 s |',
    'applies/s\n  fsync, 16 callers: 7,000/s (p99 1.70 ms)\n| open | 1.20 s |',
  ];
  expect(medianText(runs)).toBe(
    'applies/s\n  fsync, 16 callers: 6,110/s (p99 1.70 ms)\n| open | 1.33 s |',
  );
});

test('lines are matched by shape, so extra or missing lines in one run do not shift the rest', () => {
  const runs = [
    'in /tmp/bench-AAAA\nwarn: slow disk\nrate: 10/s\nrate: 100/s',
    'in /tmp/bench-BBBB\nrate: 30/s\nrate: 300/s',
  ];
  expect(medianText(runs)).toBe('in /tmp/bench-AAAA\nwarn: slow disk\nrate: 20/s\nrate: 200/s');
});

test('an even number of runs takes the mean of the middle two; formats keep their style', () => {
  expect(medianText(['x 1.0', 'x 2.0'])).toBe('x 1.5');
  expect(formatLike(1234567.891, '1,000.00')).toBe('1,234,567.89');
  expect(formatLike(2.5, '3')).toBe('3');
});

test('markdown tables are pulled out of the rest of the output', () => {
  const { tables, rest } = splitTables('head\n| a | b |\n|---|---|\n| 1 | 2 |\ntail');
  expect(tables[0]).toBe('| a | b |\n|---|---|\n| 1 | 2 |');
  expect(rest).toBe('head\ntail');
});

test('generated blocks replace their old text and leave the owners’ text alone', () => {
  const doc = '# B\n\nintro\n\n## Store\n\nowner prose\n\n## Proof: soak and fuzz\n\nproof prose\n';
  const once = replaceBlock(doc, 'store', 'run 1', { heading: 'Store', intro: '' });
  expect(once).toContain(
    'owner prose\n\n<!-- bench:all:store -->\nrun 1\n<!-- /bench:all:store -->',
  );
  const twice = replaceBlock(once, 'store', 'run 2', { heading: 'Store', intro: '' });
  expect(twice).toContain('<!-- bench:all:store -->\nrun 2\n<!-- /bench:all:store -->');
  expect(twice).not.toContain('run 1');
  const added = replaceBlock(twice, 'web', 'w', { heading: 'Web', intro: 'the web bench' });
  expect(added.indexOf('## Web')).toBeLessThan(added.indexOf('## Proof'));
  expect(added).toContain('## Web\n\nthe web bench\n\n<!-- bench:all:web -->\nw\n');
  const header = replaceBlock(added, 'header', 'machine', null);
  expect(header.startsWith('# B\n\n<!-- bench:all:header -->\nmachine\n')).toBe(true);
});
