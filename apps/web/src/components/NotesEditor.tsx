/**
 * Notes of one item. What you type is a draft (kept per item) saved after a short pause and on
 * blur; switching items saves it. When someone else changes the notes while you have a draft,
 * your text stays and their version is offered.
 */
import type { CanonicalPath } from '@lenslet/core';
import { useRef } from 'preact/hooks';
import { useApp } from './context.ts';
import { useFocusable } from './hooks.ts';

export function NotesEditor({ path, notes }: { path: CanonicalPath; notes: string }) {
  const app = useApp();
  const area = useRef<HTMLTextAreaElement>(null);
  const draft = app.drafts.of(path);
  const base = useRef({ path, notes });
  // The server text the draft started from: a different one now means a remote change.
  if (draft === undefined || base.current.path !== path) base.current = { path, notes };
  const theirs = draft !== undefined && notes !== base.current.notes && notes !== draft;

  useFocusable('notes', () => area.current?.focus());

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
