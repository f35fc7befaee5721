import { expect, test } from 'vitest';
import { isLoopbackAlias } from './hosts.ts';

test('loopback names with the same port are aliases of one another', () => {
  expect(isLoopbackAlias('http://127.0.0.1:7070', 'localhost:7070')).toBe(true);
  expect(isLoopbackAlias('http://localhost:7070', '127.0.0.1:7070')).toBe(true);
  expect(isLoopbackAlias('http://[::1]:7070', '127.0.0.1:7070')).toBe(true);
  expect(isLoopbackAlias('http://localhost', '127.0.0.1:80')).toBe(true);
});

test('another port, another host or a malformed value is not an alias', () => {
  expect(isLoopbackAlias('http://127.0.0.1:7071', 'localhost:7070')).toBe(false);
  expect(isLoopbackAlias('http://evil.example:7070', 'localhost:7070')).toBe(false);
  expect(isLoopbackAlias('http://127.0.0.1:7070', 'photos.example:7070')).toBe(false);
  expect(isLoopbackAlias('null', 'localhost:7070')).toBe(false);
  expect(isLoopbackAlias('http://127.0.0.1:7070', 'bad host')).toBe(false);
});
