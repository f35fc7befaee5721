/**
 * Undo of this tab's own label changes. Each step is one user action (a key press, a bulk edit),
 * pointing at the outbox entries it made. Undoing waits for their acknowledgement, finds the
 * exact records they produced (the live stream's recent updates, else /item/history), and sends
 * core's `inversePatch` of each — expecting the version the record produced, so if someone
 * changed the same field since, the undo is a conflict and goes through the conflict UI instead
 * of overwriting them.
 */
import {
  type CanonicalPath,
  type ItemUpdate,
  inversePatch,
  type Patch,
  type RecordFacts,
} from '@lenslet/core';
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Api } from '../api.ts';
import { toFacts } from './apply-update.ts';
import type { Report } from './errors-model.ts';
import type { Ack } from './writer-model.ts';

export const MAX_UNDO_STEPS = 100;
/** Live updates remembered by seq, so undo rarely needs /item/history. */
export const RECORD_CACHE_SIZE = 2_000;
/** How far back /item/history is searched for a record. */
const HISTORY_SEARCH_LIMIT = 100;

/** What undo reads of a record: `inversePatch` needs its version and changes. */
export type UndoFacts = Pick<RecordFacts, 'version' | 'changes'>;

export type UndoDeps = {
  readonly settled: (id: string) => Promise<Ack | null>;
  readonly api: Pick<Api, 'history'>;
  readonly edit: (path: CanonicalPath, patch: Patch, base: number) => void;
  readonly report: Report;
};

export type Undo = ReturnType<typeof createUndo>;

export function createUndo(deps: UndoDeps) {
  const steps: string[][] = [];
  /** Entries already reverted (several key presses can merge into one entry). */
  const undone = new Set<string>();
  const available = signal(0);
  const records = new Map<number, ItemUpdate>();

  /** The record with this seq on this path, or null when it cannot be found. */
  const record = async (path: CanonicalPath, seq: number): Promise<UndoFacts | null> => {
    const cached = records.get(seq);
    if (cached) return toFacts(cached);
    try {
      const rows = await deps.api.history(path, HISTORY_SEARCH_LIMIT);
      return rows.find((r) => r.seq === seq) ?? null;
    } catch (error) {
      deps.report('Finding the change to undo', error);
      return null;
    }
  };

  return {
    available: available as ReadonlySignal<number>,
    /** A live update: remembered (bounded) in case it is ours and gets undone. */
    remember(update: ItemUpdate): void {
      records.set(update.seq, update);
      if (records.size > RECORD_CACHE_SIZE) records.delete(records.keys().next().value!);
    },
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
        const facts = await record(ack.path, ack.seq);
        if (!facts) continue;
        const { base_version, ...patch } = inversePatch(facts);
        deps.edit(ack.path, patch, base_version ?? facts.version);
        reverted += 1;
      }
      return reverted;
    },
  };
}
