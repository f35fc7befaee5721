import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { goldenLog, goldenLogFolders, run } from './command-test-kit.ts';

const folders = goldenLogFolders('lenslet-replay-');
afterEach(folders.cleanup);

/** An image folder whose .lenslet/ holds a copy of a golden log (and one of its images). */
async function folderWith(log: string): Promise<string> {
  const root = await folders.make(log);
  await mkdir(join(root, 'cats'));
  await writeFile(join(root, 'cats/tabby.jpg'), 'not really a jpeg');
  return root;
}

describe('lenslet replay', () => {
  test('--until <seq> prints the labeled items as of that seq, as JSON', async () => {
    const dir = await folderWith('good.jsonl');
    const out = await run('replay', dir, '--until', '3');
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(out.stdout)).toEqual({
      seq: 3,
      items: {
        '/cats/tabby.jpg': {
          star: 4,
          tags: ['cute', 'orange'],
          notes: '',
          metrics: {},
          version: 3,
          updated_at: '2026-03-01T09:00:02.000Z',
          updated_by: 'bo',
        },
        '/dogs/rex.png': {
          star: null,
          tags: [],
          notes: 'blurry — retake?',
          metrics: {},
          version: 2,
          updated_at: '2026-03-01T09:00:03.000Z',
          updated_by: 'ana',
        },
      },
    });
  });

  test('--until <time> stops at the last record at or before it; default is now', async () => {
    const dir = await folderWith('good.jsonl');
    const early = await run('replay', dir, '--until', '2026-03-01T09:00:01.500Z');
    expect(JSON.parse(early.stdout)).toMatchObject({
      seq: 1,
      items: { '/cats/tabby.jpg': { star: 4 } },
    });
    const before = await run('replay', dir, '--until', '2020-01-01T00:00:00Z');
    expect(JSON.parse(before.stdout)).toEqual({ seq: 0, items: {} });
    const now = await run('replay', join(dir, '.lenslet'));
    expect(JSON.parse(now.stdout).seq).toBe(5);
  });

  test('--format csv uses the export encoder, with present known from the image folder', async () => {
    const dir = await folderWith('good.jsonl');
    const out = await run('replay', dir, '--until', '5', '--format', 'csv');
    expect(out.code).toBe(0);
    expect(out.stdout.split('\r\n')).toEqual([
      'path,star,tags,notes,version,updated_at,updated_by,present,metrics.sharpness',
      '/cats/tabby.jpg,4,"[""cute""]",,4,2026-03-01T09:00:05.000Z,bo,true,',
      '/dogs/rex.png,,[],blurry — retake?,3,2026-03-01T09:00:04.000Z,Zoë,false,0.31',
      '',
    ]);
    // Pointed at the .lenslet directory of a folder still knows the images; a bare workspace does not.
    const bare = join(dir, 'bare');
    await mkdir(bare);
    await copyFile(goldenLog('good.jsonl'), join(bare, 'labels.log.jsonl'));
    const unknown = await run('replay', bare, '--format', 'csv');
    expect(unknown.stdout.split('\r\n')[1]).toBe(
      '/cats/tabby.jpg,4,"[""cute""]",,4,2026-03-01T09:00:05.000Z,bo,,',
    );
  });

  test("--path prints one image's history, one record per line", async () => {
    const dir = await folderWith('good.jsonl');
    const out = await run('replay', dir, '--path', 'cats\\tabby.jpg');
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((r) => [r.seq, r.path])).toEqual([
      [1, '/cats/tabby.jpg'],
      [2, '/cats/tabby.jpg'],
      [5, '/cats/tabby.jpg'],
    ]);
    expect(lines[0]).not.toHaveProperty('crc');
  });

  test('--verify passes on a good log and names the line of a bad one (exit 1)', async () => {
    const good = await run('replay', await folderWith('good.jsonl'), '--verify');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/verified .*: seqs 1–5, 2 images \(2 labeled\)/);
    const bad = await run('replay', await folderWith('corrupt-middle.jsonl'), '--verify');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/labels\.log\.jsonl line 3: crc mismatch/);
    expect(bad.stderr).toContain('lenslet compact --repair');
  });

  test('replay changes nothing, even with a torn tail (it only warns)', async () => {
    const dir = await folderWith('torn-tail.jsonl');
    const { readFile, readdir } = await import('node:fs/promises');
    const before = await readFile(join(dir, '.lenslet/labels.log.jsonl'));
    const out = await run('replay', dir);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).seq).toBe(4);
    expect(out.stderr).toMatch(/warning: .*interrupted write at line 5.*ignoring them/);
    expect(await readFile(join(dir, '.lenslet/labels.log.jsonl'))).toEqual(before);
    expect(await readdir(join(dir, '.lenslet'))).toEqual(['labels.log.jsonl']);
  });

  test.each([
    [['--until', 'soon'], /--until takes a seq .* not "soon"/],
    [['--until', '99'], /--until 99 is past the end of the log \(its last seq is 5\)/],
    [['--format', 'xml'], /--format is json or csv/],
    [['--bogus'], /Unknown option '--bogus'\. Try: lenslet replay --help/],
    [['--path', '/a/../b.jpg'], /invalid --path: path contains a "\.\." segment/],
  ])('usage errors exit 2 with one line: %j', async (args, message) => {
    const dir = await folderWith('good.jsonl');
    const out = await run('replay', dir, ...args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stdout).toBe('');
  });

  test('a folder without a workspace exits 1 saying where it looked', async () => {
    const root = await folders.empty();
    const out = await run('replay', root);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `no Lenslet workspace in ${root} (there is no ${join(root, '.lenslet')})`,
    );
  });

  test('--help prints the options', async () => {
    const out = await run('replay', '--help');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage: lenslet replay \[dir\]/);
    expect(out.stdout).toContain('--verify');
  });
});
