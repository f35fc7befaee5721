import { expect, test } from 'vitest';
import { NetworkError } from '../api.ts';
import { createErrorsModel, MAX_NOTICES } from './errors-model.ts';

function setup() {
  const lines: { level: 'error' | 'warn'; args: unknown[] }[] = [];
  const errors = createErrorsModel({
    error: (...args: unknown[]) => void lines.push({ level: 'error', args }),
    warn: (...args: unknown[]) => void lines.push({ level: 'warn', args }),
  });
  return { errors, lines };
}

test('a reported error becomes a dismissible notice and a console.error with the details', () => {
  const { errors, lines } = setup();
  const boom = new Error('boom');
  errors.report('Loading the tags', boom);
  expect(errors.notices.value.map((n) => n.text)).toEqual(['Loading the tags failed: boom']);
  expect(lines).toEqual([{ level: 'error', args: ['lenslet: Loading the tags:', boom] }]);
  errors.dismiss(errors.notices.value[0]!.id);
  expect(errors.notices.value).toEqual([]);
});

test('the same notice again is counted, not stacked', () => {
  const { errors } = setup();
  errors.report('Polling', new Error('boom'), 'background');
  errors.report('Polling', new Error('boom'), 'background');
  expect(errors.notices.value).toMatchObject([{ text: 'Polling failed: boom', count: 2 }]);
});

test('only the newest notices stay', () => {
  const { errors } = setup();
  for (let i = 0; i < MAX_NOTICES + 2; i++) errors.report(`Step ${i}`, new Error('x'));
  expect(errors.notices.value.map((n) => n.text)).toEqual(
    Array.from({ length: MAX_NOTICES }, (_, k) => `Step ${k + 2} failed: x`),
  );
});

test('an unreachable server in background work is logged as a warning, not shown', () => {
  const { errors, lines } = setup();
  errors.report('Polling', new NetworkError('down'), 'background');
  expect(errors.notices.value).toEqual([]);
  expect(lines.map((l) => l.level)).toEqual(['warn']);
});
