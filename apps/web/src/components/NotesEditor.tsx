/**
 * Notes of one item. What you type is a draft (kept per item) saved after a short pause and on
 * blur; switching items saves it. When someone else changes the notes while you have a draft,
 * your text stays and their version is offered.
 */
import type { CanonicalPath } from '@lenslet/core';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useApp } from './context.ts';

export function NotesEditor({ path, notes }: { path: CanonicalPath; notes: string }) {
  const app = useApp();
  const area = useRef<HTMLTextAreaElement>(null);
  const draft = app.drafts.drafts.value.get(path);
  const base = useRef({ path, notes });
  // The server text the draft started from: a different one now means a remote change.
  if (draft === undefined || base.current.path !== path) base.current = { path, notes };
  const theirs = draft !== undefined && notes !== base.current.notes && notes !== draft;

  // Layout effect: registered in the same commit, so a key pressed right after the item
  // changes already finds this input.
  useLayoutEffect(() => {
    const focus = () => area.current?.focus();
    app.ui.focusers.set('notes', focus);
    // A request made before this editor existed (e.g. the inspector was hidden).
    if (app.ui.focusTarget.peek()?.target === 'notes') {
      app.ui.focusTarget.value = null;
      focus();
    }
    return () => {
      if (app.ui.focusers.get('notes') === focus) app.ui.focusers.delete('notes');
    };
  }, []);

  return (
    <div class="notes">
      <textarea
        ref={area}
        class="notes-input"
        placeholder="Notes… (N)"
        value={draft ?? notes}
        rows={4}
        maxLength={20_000}
        onInput={(e) => app.drafts.set(path, (e.currentTarget as HTMLTextAreaElement).value)}
        onBlur={() => app.drafts.flush(path)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') area.current?.blur();
        }}
      />
      {draft !== undefined && <div class="hint">Draft — saves when you pause</div>}
      {theirs && (
        <div class="hint warn">
          Someone changed these notes while you were typing.{' '}
          <button
            type="button"
            class="link"
            onClick={() => {
              base.current = { path, notes };
              app.drafts.set(path, notes);
            }}
          >
            Use theirs
          </button>
        </div>
      )}
    </div>
  );
}
