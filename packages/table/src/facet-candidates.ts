/**
 * The rows facets may count, found in branch-free column passes (no per-row loop over filters):
 * a state per row (0 = passes every group, g + 1 = fails only group g, `excluded` = fails the
 * base or two groups), built one mask at a time through a transition table, then one compacting
 * pass per list (rows ascending). Branch-free because a brushed filter splits rows at random,
 * where a branch per row mispredicts about half the time.
 */
import type { QueryPlan } from './query-plan.ts';

/**
 * `pass` = rows passing the base and every group (null = every row); `onlyFails[g]` = rows
 * passing the base and every group but g (empty with own_filter include). A field filtered by
 * group g counts pass ∪ onlyFails[g]; any other field counts pass.
 */
export type Candidates = {
  readonly pass: Uint32Array | null;
  readonly onlyFails: readonly Uint32Array[];
};

type States = Uint8Array | Uint16Array;

/** 1 when a mask entry is 0 (the row fails), else 0. */
const failOf = (m: number) => (m - 1) >>> 31;

function rowStates(plan: QueryPlan): States {
  const { n, base, groups } = plan;
  const excluded = groups.length + 1;
  const state: States = excluded < 0x100 ? new Uint8Array(n) : new Uint16Array(n);
  if (base !== null) for (let r = 0; r < n; r++) state[r] = failOf(base[r]!) * excluded;
  // next[(s << 1) | fail]: a row failing group g moves from 0 to g + 1, from any other state
  // to excluded; a row passing it keeps its state.
  const next = new Uint16Array(2 * (excluded + 1));
  for (let g = 0; g < groups.length; g++) {
    for (let s = 0; s <= excluded; s++) {
      next[s << 1] = s;
      next[(s << 1) | 1] = s === 0 ? g + 1 : excluded;
    }
    const mask = groups[g]!.mask;
    for (let r = 0; r < n; r++) state[r] = next[(state[r]! << 1) | failOf(mask[r]!)]!;
  }
  return state;
}

/** Rows whose state is `wanted`: every row is written, only matching ones advance. */
function rowsWithState(state: States, wanted: number, count: number): Uint32Array {
  const out = new Uint32Array(count + 1);
  let k = 0;
  for (let r = 0; r < state.length; r++) {
    out[k] = r;
    k += failOf(state[r]! ^ wanted);
  }
  return out.subarray(0, count);
}

export function facetCandidates(plan: QueryPlan, include: boolean): Candidates {
  const { n, base, groups } = plan;
  if (base === null && groups.length === 0) return { pass: null, onlyFails: [] };
  const state = rowStates(plan);
  const counts = new Uint32Array(groups.length + 2);
  for (let r = 0; r < n; r++) counts[state[r]!]!++;
  return {
    pass: rowsWithState(state, 0, counts[0]!),
    onlyFails: include ? [] : groups.map((_, g) => rowsWithState(state, g + 1, counts[g + 1]!)),
  };
}
