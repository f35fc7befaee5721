import { describe, expect, test } from 'vitest';
import { parseServeOptions, type ServeOptions } from './serve-options.ts';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  parseServeOptions(argv, env) as ServeOptions;
const usage = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseServeOptions(argv, env);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a usage error');
};

test('defaults', () => {
  expect(parse([])).toEqual({
    port: 7070,
    port_given: false,
    strict_port: false,
    host: '127.0.0.1',
    no_write: false,
    durability: 'fsync',
    thumb_size: 256,
    thumb_quality: 70,
    read_only: false,
    token: null,
    public_url: null,
    watch: 'native',
    open: false,
    workspace: null,
    table: null,
    path_column: null,
    root: null,
    sources: [],
  });
});

test('table flags: --table, --path-column, --root (and their environment variables)', () => {
  expect(
    parse(['d', '--table', 's.parquet', '--path-column', 'img'], { LENSLET_ROOT: '/mnt' }),
  ).toMatchObject({ table: 's.parquet', path_column: 'img', root: '/mnt', sources: ['d'] });
  expect(usage(['--path-column', '']).message).toMatch(/--path-column "" must not be empty/);
});

test('flags win over environment, environment over defaults', () => {
  const env = {
    LENSLET_PORT: '8000',
    LENSLET_HOST: '0.0.0.0',
    LENSLET_READ_ONLY: 'yes',
    LENSLET_WATCH: 'poll',
  };
  const options = parse(['--port', '9000', 'cats=/data/cats', '--no-write'], env);
  expect(options).toMatchObject({
    port: 9000,
    port_given: true,
    host: '0.0.0.0',
    read_only: true,
    no_write: true,
    watch: 'poll',
  });
  expect(options.sources).toEqual(['cats=/data/cats']);
  expect(parse([], { LENSLET_PORT: '8000' })).toMatchObject({ port: 8000, port_given: true });
  expect(parse(['-p', '1234', '-H', '::'])).toMatchObject({ port: 1234, host: '::' });
});

test('public URL is reduced to its origin; paths are refused', () => {
  expect(parse(['--public-url', 'https://Gallery.Example.org/']).public_url).toBe(
    'https://gallery.example.org',
  );
  expect(usage(['--public-url', 'https://x.org/lenslet']).message).toContain('sub-path');
  expect(usage(['--public-url', 'ftp://x.org']).message).toContain('http');
});

describe('errors name their source and are usage errors', () => {
  test.each([
    [['--port', 'abc'], {}, '--port "abc" must be a whole number'],
    [['--port', '70000'], {}, '--port "70000" must be at most 65535'],
    [[], { LENSLET_THUMB_SIZE: '8' }, 'LENSLET_THUMB_SIZE "8" must be at least 32'],
    [['--durability', 'never'], {}, '--durability "never" must be fsync or relaxed'],
    [['--watch', 'inotify'], {}, '--watch "inotify" must be native, poll or off'],
    [[], { LENSLET_OPEN: 'maybe' }, 'LENSLET_OPEN "maybe" must be true or false'],
    [['--token', 'short'], {}, '--token "short" must be 16–256 characters'],
    [['--bogus'], {}, "Unknown option '--bogus'"],
    [['--port'], {}, 'argument missing'],
  ] as const)('%j %j', (argv, env, message) => {
    const error = usage([...argv], env);
    expect(error.code).toBe('usage');
    expect(error.message).toContain(message);
    expect(error.message).toContain('lenslet serve --help');
  });
});

test('--help', () => {
  expect(parseServeOptions(['--help'], {})).toEqual({ help: true });
  expect(parseServeOptions(['cats', '-h', '--bogus'], {})).toEqual({ help: true });
});
