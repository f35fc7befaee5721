import { expect, test } from 'vitest';
import { createIdentity, newSessionId, toDisplayName } from './identity-model.ts';

const memoryStorage = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
};
const bytes =
  (...b: number[]) =>
  (out: Uint8Array) => {
    out.set(b);
    return out;
  };

test('display names: trimmed, NFC, 1–64 characters, no control characters', () => {
  const rows: [string, string | null][] = [
    ['  ana ', 'ana'],
    ['Zoe\u0308', 'Zoë'],
    ['', null],
    ['   ', null],
    ['a\u0007b', null],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['x'.repeat(65), null],
  ];
  for (const [raw, want] of rows) expect(toDisplayName(raw), JSON.stringify(raw)).toBe(want);
});

test('a session identity is "session:" and 8 hex digits', () => {
  expect(newSessionId(bytes(0, 15, 160, 255))).toBe('session:000fa0ff');
});

test('a first visit labels at once under a session identity, kept in this browser', () => {
  const storage = memoryStorage();
  const id = createIdentity(storage, bytes(1, 2, 3, 4));
  expect(id.prompting.value).toBe(false);
  expect(id.name.value).toBe(null);
  expect(id.user.value).toBe('session:01020304');
  // The next page load keeps the same session.
  const again = createIdentity(storage, bytes(9, 9, 9, 9));
  expect(again.user.value).toBe('session:01020304');
});

test('a name, once given, is who writes are recorded as; a bad one is refused', () => {
  const storage = memoryStorage({ 'lenslet.session': 'session:aaaaaaaa' });
  const id = createIdentity(storage, bytes(1, 2, 3, 4));
  id.prompt();
  expect(id.set('  ')).toBe(false);
  expect(id.prompting.value).toBe(true);
  expect(id.user.value).toBe('session:aaaaaaaa');
  expect(id.set(' Ana ')).toBe(true);
  expect(id.prompting.value).toBe(false);
  expect(id.user.value).toBe('Ana');
  expect(createIdentity(storage).user.value).toBe('Ana');
});

test('a stored session that is not one of ours is replaced', () => {
  const storage = memoryStorage({ 'lenslet.session': 'session:<script>' });
  expect(createIdentity(storage, bytes(0, 0, 0, 1)).user.value).toBe('session:00000001');
  expect(storage.data.get('lenslet.session')).toBe('session:00000001');
});
