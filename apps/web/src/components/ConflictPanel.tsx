/**
 * A 409 made visible: per field, what you wanted and what is there now, with "Apply mine
 * again" (re-send on top of their version) and "Keep theirs". Nothing is dropped unasked.
 */
import type { Patch } from '@lenslet/core';
import type { OutboxEntry } from '../outbox.ts';
import { useApp } from './context.ts';

const starText = (s: number | null | undefined) =>
  s === null || s === undefined ? 'unrated' : `${s}★`;

function rows(patch: Patch, entry: OutboxEntry): [string, string, string][] {
  const cur = entry.current;
  const out: [string, string, string][] = [];
  if (patch.set_star !== undefined)
    out.push(['Rating', starText(patch.set_star), starText(cur?.star)]);
  if (patch.set_notes !== undefined)
    out.push(['Notes', patch.set_notes || '(empty)', cur?.notes || '(empty)']);
  if (patch.set_tags !== undefined)
    out.push(['Tags', patch.set_tags.join(', '), cur?.tags.join(', ') ?? '']);
  if (patch.add_tags?.length)
    out.push(['Add tags', patch.add_tags.join(', '), cur?.tags.join(', ') ?? '']);
  if (patch.remove_tags?.length)
    out.push(['Remove tags', patch.remove_tags.join(', '), cur?.tags.join(', ') ?? '']);
  return out;
}

export function ConflictPanel({ entry }: { entry: OutboxEntry }) {
  const app = useApp();
  const who = entry.current?.updated_by ?? 'someone';
  return (
    <div class="conflict" role="alert">
      <div class="conflict-title">Conflict — {who} changed this first</div>
      <table>
        <thead>
          <tr>
            <th />
            <th>Mine</th>
            <th>Theirs</th>
          </tr>
        </thead>
        <tbody>
          {rows(entry.patch, entry).map(([field, mine, theirs]) => (
            <tr key={field}>
              <td class="dim">{field}</td>
              <td class="mine">{mine}</td>
              <td class="theirs">{theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <button type="button" class="primary" onClick={() => app.writer.resolve(entry.id, 'mine')}>
          Apply mine again
        </button>
        <button type="button" onClick={() => app.writer.resolve(entry.id, 'theirs')}>
          Keep theirs
        </button>
      </div>
    </div>
  );
}
