/**
 * Label edits as the UI asks for them: rate, add or remove a tag, undo — on the selection or the
 * focused item — and the labels as shown (the server's with this tab's pending edits on top).
 * Every edit goes to the writer and becomes one undo step. No signals of its own.
 */
import type { CanonicalPath, Labels, Patch } from '@lenslet/core';
import type { ReadonlySignal } from '@preact/signals';
import { withPending } from './apply-update.ts';
import type { ItemStore } from './items-model.ts';
import type { Selection } from './selection-model.ts';
import type { Undo } from './undo-model.ts';
import type { Writer } from './writer-model.ts';

export type Labeling = ReturnType<typeof createLabeling>;

export function createLabeling(deps: {
  readonly items: ItemStore;
  readonly writer: Pick<Writer, 'edit' | 'entriesOf'>;
  readonly undo: Pick<Undo, 'push' | 'undo' | 'available'>;
  readonly selection: Pick<Selection, 'targets'>;
  readonly readOnly: ReadonlySignal<boolean>;
  readonly say: (text: string) => void;
}) {
  const { items, writer, undo, selection, say } = deps;

  /** Labels as shown: server labels with this tab's pending edits on top (reactive). */
  const shown = (path: CanonicalPath): Labels | null => {
    const entry = items.get(path);
    if (!entry) return null;
    const pending = writer.entriesOf(path).filter((e) => e.state === 'pending');
    return pending.length > 0
      ? withPending(
          entry.labels.value,
          pending.map((e) => e.patch),
        )
      : entry.labels.value;
  };

  /** One user action: an edit of `paths`, recorded as one undo step. */
  const edit = (paths: readonly CanonicalPath[], patch: Patch): string[] => {
    if (deps.readOnly.peek()) {
      say('This gallery is read-only: labels cannot be changed.');
      return [];
    }
    if (paths.length === 0) return [];
    const ids = writer.edit(paths, patch);
    undo.push(ids);
    return ids;
  };

  return {
    shown,
    edit,
    rate(star: number | null): void {
      const targets = selection.targets();
      if (targets.length === 0) return;
      edit(targets, { set_star: star });
    },
    addTag(tag: string, paths = selection.targets()): void {
      const t = tag.trim();
      if (t) edit(paths, { add_tags: [t] });
    },
    removeTag(tag: string, paths = selection.targets()): void {
      edit(paths, { remove_tags: [tag] });
    },
    async undoLast(): Promise<void> {
      if (undo.available.peek() === 0) {
        say('Nothing to undo');
        return;
      }
      const n = await undo.undo();
      say(n > 0 ? `Undid ${n} change${n === 1 ? '' : 's'}` : 'Nothing to undo');
    },
  };
}
