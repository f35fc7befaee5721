/**
 * Keyboard shortcuts: one table, used by the key handler and shown by `?`. Labeling keys work
 * everywhere except while typing in a field.
 */
import type { AppModel } from './app-model.ts';

/** What the keys act on: a part of the app model. */
export type KeyTarget = Pick<
  AppModel,
  | 'ui'
  | 'selection'
  | 'preferences'
  | 'rate'
  | 'undoLast'
  | 'selectAll'
  | 'requestFocus'
  | 'parentFolder'
>;

export type KeyInput = {
  readonly key: string;
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  /** Focus is in a text field. */
  readonly typing: boolean;
};

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['1 – 5', 'Rate the current item or the selection'],
  ['0', 'Clear the rating'],
  ['← → ↑ ↓ / W A S D', 'Move (Shift extends the selection)'],
  ['Enter · double-click', 'Open the viewer'],
  ['Esc', 'Close the viewer or dialog, leave a field'],
  ['← → · A D (viewer)', 'Previous / next image'],
  ['F (viewer)', 'Fit ↔ 100%'],
  ['T', 'Tag editor'],
  ['N', 'Notes'],
  ['/', 'Search'],
  ['Ctrl/⌘ A', 'Select all'],
  ['Ctrl/⌘ Z', 'Undo your last label change'],
  ['Backspace', 'Parent folder'],
  ['I', 'Show / hide the inspector'],
  ['?', 'This list'],
];

/** Handle a key press; returns true when it was a shortcut (the caller prevents the default). */
export function handleKey(app: KeyTarget, e: KeyInput): boolean {
  const { ui, selection } = app;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'Escape') {
    if (ui.shortcuts.value) ui.setOpen('shortcuts', false);
    else if (ui.viewer.value) ui.setOpen('viewer', false);
    else if (ui.filters.value) ui.setOpen('filters', false);
    else if (!e.typing) selection.clear();
    else return false;
    return true;
  }
  if (e.typing || e.alt) return false;
  if (e.ctrl) {
    if (key === 'z' && !e.shift) {
      void app.undoLast();
      return true;
    }
    if (key === 'a') {
      void app.selectAll();
      return true;
    }
    return false;
  }
  if (/^[0-5]$/.test(key)) {
    app.rate(key === '0' ? null : Number(key));
    return true;
  }
  const viewer = ui.viewer.value;
  const cols = viewer ? 1 : ui.columns.value;
  const moves: Record<string, number> = {
    ArrowLeft: -1,
    a: -1,
    ArrowRight: 1,
    d: 1,
    ArrowUp: -cols,
    w: -cols,
    ArrowDown: cols,
    s: cols,
  };
  const delta = moves[key];
  if (delta !== undefined) {
    if (viewer && (key === 'ArrowUp' || key === 'ArrowDown' || key === 'w' || key === 's')) {
      return false;
    }
    selection.move(delta, e.shift && !viewer);
    return true;
  }
  switch (key) {
    case 'Enter':
      if (selection.focus.value) ui.setOpen('viewer', true);
      return true;
    case 't':
      app.requestFocus('tags');
      return true;
    case 'n':
      app.requestFocus('notes');
      return true;
    case '/':
      app.requestFocus('search');
      return true;
    case '?':
      ui.toggle('shortcuts');
      return true;
    case 'f':
      if (!viewer) return false;
      ui.toggleFit();
      return true;
    case 'i':
      app.preferences.toggleInspector();
      return true;
    case 'Backspace':
      if (viewer) return false;
      app.parentFolder();
      return true;
  }
  return false;
}
