/** The item's history from /item/history: who changed what, from what, when (newest first). */
import { assertNever, type Change } from '@lenslet/core';
import { formatDate } from '../format.ts';
import { useApp } from './context.ts';

const star = (s: number | null) => (s === null ? 'unrated' : `${s}★`);

export function describe(change: Change): string {
  switch (change.kind) {
    case 'star_set':
      return `rating ${star(change.from)} → ${star(change.star)}`;
    case 'notes_set':
      return change.notes ? `notes “${clip(change.notes)}”` : 'cleared notes';
    case 'tags_set':
      return `tags [${change.from.join(', ')}] → [${change.tags.join(', ')}]`;
    case 'tags_added':
      return `+${change.tags.join(' +')}`;
    case 'tags_removed':
      return `−${change.tags.join(' −')}`;
    case 'metrics_set':
      return `metrics ${Object.keys(change.metrics).join(', ')}`;
    default:
      return assertNever(change);
  }
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** '2026-01-01T10:00:00Z' => '5 min ago' (or a date when older than a week). */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 604_800) return `${Math.round(s / 86_400)} d ago`;
  return formatDate(iso).slice(0, 10);
}

export function HistoryList() {
  const app = useApp();
  const rows = app.history.of(app.selection.focus.value);
  if (rows === null) return <div class="dim">Loading…</div>;
  if (rows.length === 0) return <div class="dim">No label changes yet.</div>;
  return (
    <ol class="history">
      {rows.map((r) => (
        <li key={r.seq}>
          <span class="who">{r.actor}</span>{' '}
          <span class="dim" title={r.at}>
            {ago(r.at)}
          </span>
          <div class="what">{r.changes.map(describe).join('; ')}</div>
        </li>
      ))}
    </ol>
  );
}
