/**
 * Lenslet's live frames against the recorded ones, kind by kind: each recorded `item-updated`
 * whose write was replayed must have Lenslet's frame for the same path and version (with the
 * original's durability fields); the last `persistence` frame; the last `presence` frame of each
 * gallery; a `table-source` frame on the table target.
 */
import { type CompareContext, compare, type Mismatch, obj, V } from './compare.ts';
import { ITEM_UPDATED, PERSISTENCE_STATE } from './expectations.ts';
import type { LiveFrame } from './http.ts';
import type { RecordedFrame } from './recordings.ts';

const PRESENCE = obj({ gallery_id: V, viewing: V, editing: V });

export function compareFrames(
  actual: readonly LiveFrame[],
  recorded: readonly RecordedFrame[],
  kinds: readonly string[],
  context: CompareContext,
  replayedKeys: ReadonlySet<string>,
): Mismatch[] {
  const out: Mismatch[] = [];
  const of = (list: readonly (LiveFrame | RecordedFrame)[], kind: string) =>
    list.filter((f) => f.event === kind);
  if (kinds.includes('item-updated')) {
    for (const frame of of(recorded, 'item-updated')) {
      const data = frame.data as { path: string; version: number; mutation_id: string };
      const replayed = data.mutation_id.startsWith('put:')
        ? replayedKeys.has('put:')
        : replayedKeys.has(data.mutation_id);
      if (!replayed) continue;
      const match = of(actual, 'item-updated').find((f) => {
        const d = f.data as { path?: string; version?: number };
        return d.path === data.path && d.version === data.version;
      });
      if (!match) {
        out.push({ at: 'frames[item-updated]', problem: 'missing', expected: data.mutation_id });
        continue;
      }
      out.push(
        ...compare(ITEM_UPDATED, match.data, frame.data, 'frames[item-updated].data', context),
      );
      if (!/^\d+$/.test(match.id ?? '')) {
        out.push({ at: 'frames[item-updated].id', problem: 'not an event id', actual: match.id });
      }
    }
  }
  if (kinds.includes('persistence') && of(recorded, 'persistence').length > 0) {
    const last = of(actual, 'persistence').at(-1);
    if (!last) out.push({ at: 'frames[persistence]', problem: 'missing' });
    else {
      const expected = of(recorded, 'persistence').at(-1)!.data;
      out.push(
        ...compare(PERSISTENCE_STATE, last.data, expected, 'frames[persistence].data', context),
      );
    }
  }
  if (kinds.includes('presence')) {
    const galleries = new Set(
      of(recorded, 'presence').map((f) => (f.data as { gallery_id: string }).gallery_id),
    );
    for (const gallery of galleries) {
      const lastOf = (list: readonly (LiveFrame | RecordedFrame)[]) =>
        of(list, 'presence')
          .filter((f) => (f.data as { gallery_id?: string }).gallery_id === gallery)
          .at(-1);
      const got = lastOf(actual);
      if (!got) out.push({ at: `frames[presence ${gallery}]`, problem: 'missing' });
      else
        out.push(
          ...compare(
            PRESENCE,
            got.data,
            lastOf(recorded)!.data,
            `frames[presence ${gallery}].data`,
            context,
          ),
        );
    }
  }
  if (
    kinds.includes('table-source') &&
    !context.portable &&
    of(recorded, 'table-source').length > 0
  ) {
    if (of(actual, 'table-source').length === 0)
      out.push({ at: 'frames[table-source]', problem: 'missing' });
  }
  return out;
}
