import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createUiModel, TOAST_MS } from './ui-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a toast goes away after 2.5 s; a newer one keeps its own time', () => {
  const ui = createUiModel({ showInspector: () => {} });
  ui.say('one');
  vi.advanceTimersByTime(TOAST_MS - 100);
  ui.say('two');
  vi.advanceTimersByTime(200);
  expect(ui.toast.value?.text).toBe('two');
  vi.advanceTimersByTime(TOAST_MS);
  expect(ui.toast.value).toBeNull();
});

test('a focus request waits for its input to mount, and opens the inspector for it', () => {
  let inspector = 0;
  const ui = createUiModel({
    showInspector: () => {
      inspector += 1;
    },
  });
  const focused: string[] = [];
  ui.requestFocus('notes');
  expect(inspector).toBe(1);
  const off = ui.registerFocus('notes', () => focused.push('notes'));
  expect(focused).toEqual(['notes']);
  ui.requestFocus('notes');
  expect(focused).toEqual(['notes', 'notes']);
  off();
  ui.registerFocus('search', () => focused.push('search'));
  ui.requestFocus('search');
  expect(inspector).toBe(1);
  expect(focused.at(-1)).toBe('search');
});

test('overlays open, close and toggle; dispose clears the toast timer', () => {
  const ui = createUiModel({ showInspector: () => {} });
  ui.toggle('shortcuts');
  ui.setOpen('viewer', true);
  expect([ui.shortcuts.value, ui.viewer.value, ui.filters.value]).toEqual([true, true, false]);
  ui.say('bye');
  ui.dispose();
  expect(vi.getTimerCount()).toBe(0);
});
