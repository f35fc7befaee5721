/**
 * Undo of this tab's own label changes. Each step is one user action (a key press, a bulk edit),
 * pointing at the outbox entries it made. Undoing waits for their acknowledgement, finds the
 * exact records they produced, and sends core's `inversePatch` of each — expecting the version
 * the record produced, so if someone changed the same field since, the undo is a conflict and
 * goes through the conflict UI instead of overwriting them.
 */
import { type CanonicalPath, inversePatch, type LabelRecord, type Patch } from '@lenslet/core';
import { signal } from '@preact/signals';
import type { Ack } from './writer-model.ts';

export const MAX_UNDO_STEPS = 100;

export type UndoDeps = {
  readonly settled: (id: string) => Promise<Ack | null>;
  /** The record with this seq on this path (live-stream cache, else /item/history). */
  readonly record: (path: CanonicalPath, seq: number) => Promise<LabelRecord | null>;
  readonly edit: (path: CanonicalPath, patch: Patch, base: number) => void;
};

export type Undo = ReturnType<typeof createUndo>;

export function createUndo(deps: UndoDeps) {
  const steps: string[][] = [];
  /** Entries already reverted (several key presses can merge into one entry). */
  const undone = new Set<string>();
  const available = signal(0);

  return {
    available,
    push(ids: readonly string[]): void {
      if (ids.length === 0) return;
      steps.push([...ids]);
      if (steps.length > MAX_UNDO_STEPS) steps.shift();
      available.value = steps.length;
    },
    /** Undo the last step; resolves with how many item changes were reverted. */
    async undo(): Promise<number> {
      const ids = steps.pop();
      available.value = steps.length;
      if (!ids) return 0;
      let reverted = 0;
      for (const id of new Set(ids)) {
        if (undone.has(id)) continue;
        undone.add(id);
        const ack = await deps.settled(id);
        if (!ack || ack.seq === null) continue;
        const record = await deps.record(ack.path, ack.seq);
        if (!record) continue;
        const { base_version, ...patch } = inversePatch(record);
        deps.edit(ack.path, patch, base_version ?? record.version);
        reverted += 1;
      }
      return reverted;
    },
  };
}
