/**
 * When the soak makes things go wrong on purpose (pure, from the seed): SIGKILLs spread over the
 * run, disk-fault windows and compactions between them, kept clear of the kills where possible.
 */
import type { Rng } from './rng.ts';

export type Action =
  | { readonly at: number; readonly kind: 'kill' }
  | { readonly at: number; readonly kind: 'fault'; readonly ms: number; readonly variant: number }
  | { readonly at: number; readonly kind: 'compact' };

/** Disk failures, one per fault window in turn: a full disk, an I/O error mid-write, both. */
export const FAULT_VARIANTS = [
  { name: 'fdatasync ENOSPC (disk full)', rules: [{ op: 'datasync', code: 'ENOSPC' }] },
  {
    name: 'short write then EIO on the log',
    rules: [{ op: 'write', code: 'EIO', partial: 0.5, path: 'labels.log.jsonl' }],
  },
  {
    name: 'ENOSPC on write, open and truncate',
    rules: [
      { op: 'write', code: 'ENOSPC' },
      { op: 'open', code: 'ENOSPC' },
      { op: 'truncate', code: 'EIO' },
    ],
  },
];

export type SchedulePlan = {
  readonly duration_ms: number;
  readonly kills: number;
  readonly fault_windows: number;
  readonly compactions: number;
};

/** The run's actions in time order (`at`: ms since the start). */
export function schedule(rng: Rng, plan: SchedulePlan): Action[] {
  const actions: Action[] = [];
  const from = 0.08 * plan.duration_ms;
  const span = 0.8 * plan.duration_ms;
  for (let i = 0; i < plan.kills; i++) {
    const slot = span / plan.kills;
    actions.push({ at: from + slot * i + rng.next() * slot * 0.7, kind: 'kill' });
  }
  const clear = (at: number, ms: number) =>
    actions.every((a) => a.kind !== 'kill' || a.at < at - 3_000 || a.at > at + ms + 3_000);
  for (let i = 0; i < plan.fault_windows; i++) {
    const ms = rng.int(2_500, 6_000);
    let at = from + rng.next() * span;
    for (let tries = 0; tries < 50 && !clear(at, ms); tries++) at = from + rng.next() * span;
    actions.push({ at, kind: 'fault', ms, variant: i % FAULT_VARIANTS.length });
  }
  for (let i = 0; i < plan.compactions; i++) {
    // Usually clear of kills so it can finish; if a kill lands on it anyway, it is retried.
    let at = from + rng.next() * span;
    for (let tries = 0; tries < 50 && !clear(at, 5_000); tries++) at = from + rng.next() * span;
    actions.push({ at, kind: 'compact' });
  }
  return actions.sort((a, b) => a.at - b.at);
}
