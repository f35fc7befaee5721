import { expect, test } from 'vitest';
import { raiseThreadPoolSize } from './thread-pool.ts';

test('raises an unset or smaller pool size, keeps a larger one', () => {
  const env: NodeJS.ProcessEnv = {};
  expect(raiseThreadPoolSize(env)).toBe(16);
  expect(env.UV_THREADPOOL_SIZE).toBe('16');
  const small: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '4' };
  expect(raiseThreadPoolSize(small, 8)).toBe(8);
  const large: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '64' };
  expect(raiseThreadPoolSize(large)).toBe(64);
  const junk: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: 'lots' };
  expect(raiseThreadPoolSize(junk)).toBe(16);
});
