/**
 * The inspector: labels and facts of the focused item — stars, tags, notes, the Quick View of
 * its generation settings, every field of its row, file details, history — or bulk labeling when
 * several items are selected. It updates in place when the item changes remotely, without touching a draft.
 */
import type { CanonicalPath } from '@lenslet/core';
import { formatCount, formatDate } from '../format.ts';
import { ConflictPanel } from './ConflictPanel.tsx';
import { useApp } from './context.ts';
import { ago, HistoryList } from './HistoryList.tsx';
import { NotesEditor } from './NotesEditor.tsx';
import { QuickView } from './QuickView.tsx';
import { RowFields } from './RowFields.tsx';
import { StarPicker } from './StarPicker.tsx';
import { TagEditor } from './TagEditor.tsx';

export function Inspector() {
  const app = useApp();
  const selected = app.selection.selected.value;
  if (selected.size > 1) return <BulkPanel paths={[...selected]} />;
  const path = app.selection.focus.value;
  if (!path) return <aside class="inspector empty-insp">Select an image.</aside>;
  return <ItemPanel path={path} />;
}

const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1048576
      ? `${(n / 1024).toFixed(0)} KB`
      : `${(n / 1048576).toFixed(1)} MB`;

function ItemPanel({ path }: { path: CanonicalPath }) {
  const app = useApp();
  const entry = app.items.get(path);
  const labels = app.shown(path);
  if (!entry || !labels) return <aside class="inspector" />;
  const meta = entry.meta.value;
  const server = entry.labels.value;
  const outbox = app.writer.entriesOf(path);
  const conflicts = outbox.filter((e) => e.state === 'conflict');
  const failed = outbox.filter((e) => e.state === 'failed');
  return (
    <aside class="inspector" aria-label="Inspector">
      <h2 class="insp-name" title={path}>
        {meta?.name ?? path}
      </h2>
      {conflicts.map((e) => (
        <ConflictPanel key={e.id} entry={e} />
      ))}
      {failed.map((e) => (
        <div class="failed" key={e.id} role="alert">
          Not saved: {e.error?.message}{' '}
          <button type="button" class="link" onClick={() => app.writer.dismiss([e.id])}>
            Dismiss
          </button>
        </div>
      ))}
      <section>
        <StarPicker star={labels.star} onRate={(s) => app.rate(s)} />
      </section>
      <section>
        <h3>Tags</h3>
        <TagEditor
          tags={labels.tags}
          onAdd={(t) => app.addTag(t, [path])}
          onRemove={(t) => app.removeTag(t, [path])}
        />
      </section>
      <section>
        <h3>Notes</h3>
        <NotesEditor key={path} path={path} notes={labels.notes} />
      </section>
      <QuickView path={path} />
      <RowFields path={path} labelMetrics={labels.metrics} />
      <section>
        <h3>Details</h3>
        <table class="kv">
          <tbody>
            {meta?.width ? (
              <tr>
                <td>Size</td>
                <td>
                  {meta.width} × {meta.height} · {bytes(meta.size)}
                </td>
              </tr>
            ) : null}
            {meta?.mime && (
              <tr>
                <td>Type</td>
                <td>{meta.mime}</td>
              </tr>
            )}
            {meta?.added_at && (
              <tr>
                <td>Added</td>
                <td>{formatDate(meta.added_at)}</td>
              </tr>
            )}
            <tr>
              <td>Path</td>
              <td class="path">{path}</td>
            </tr>
            <tr>
              <td>Labeled</td>
              <td>
                {server.updated_by
                  ? `${server.updated_by} · ${ago(server.updated_at)} · v${server.version}`
                  : 'never'}
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      <section>
        <h3>History</h3>
        <HistoryList />
      </section>
    </aside>
  );
}

function BulkPanel({ paths }: { paths: CanonicalPath[] }) {
  const app = useApp();
  const counts = new Map<string, number>();
  const stars = new Set<number | null>();
  for (const p of paths) {
    const l = app.shown(p);
    if (!l) continue;
    stars.add(l.star);
    for (const t of l.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const tags = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
  const one = stars.size === 1 ? [...stars][0]! : null;
  return (
    <aside class="inspector" aria-label="Bulk labeling">
      <h2 class="insp-name">{formatCount(paths.length)} selected</h2>
      <section>
        <h3>Rating for all</h3>
        <StarPicker star={one} mixed={stars.size > 1} onRate={(s) => app.rate(s)} />
      </section>
      <section>
        <h3>Tags</h3>
        <p class="dim small">Adds or removes one tag on every selected item; other tags stay.</p>
        <TagEditor
          tags={tags}
          counts={counts}
          onAdd={(t) => app.addTag(t, paths)}
          onRemove={(t) => app.removeTag(t, paths)}
        />
      </section>
      <button type="button" onClick={() => app.selection.clear()}>
        Clear selection (Esc)
      </button>
    </aside>
  );
}
