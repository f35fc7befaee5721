/**
 * Banners above the grid, most serious first: labels not saved to disk, the label log's integrity
 * (damaged old history; an interrupted write cut at start-up), read-only, a served table whose
 * reload failed (the server keeps the last good version), errors the app caught (errors-model),
 * another gallery's unsent edits, failed edits, conflicts, and what other people changed.
 */
import { useApp } from './context.ts';

export function Banners() {
  const app = useApp();
  const p = app.server.persistence.value;
  const foreign = app.writer.foreign.value;
  const failed = app.writer.failed.value;
  const conflicts = app.writer.conflicts.value;
  const banner = app.activity.banner.value;
  const outside = app.activity.outside.value;
  return (
    <div class="banners">
      {p.state === 'memory' && (
        <div class="banner warn" role="alert" data-kind="persistence">
          Labels are kept in memory only
          {p.error ? ` (${p.error})` : ' (--no-write, or the workspace is not writable)'}: they are
          lost when the server stops.
        </div>
      )}
      {p.state === 'failing' && (
        <div class="banner error" role="alert" data-kind="persistence">
          The server cannot save labels to disk{p.error ? `: ${p.error}` : ''}. Your edits stay in
          this browser and are retried until it recovers.
        </div>
      )}
      <IntegrityBanners />
      {app.server.readOnly.value && (
        <div class="banner info" data-kind="read-only">
          This gallery is read-only: you can browse and export, not change labels.
        </div>
      )}
      {app.server.tables.value
        .filter((t) => t.error !== null)
        .map((t) => (
          <div class="banner warn" role="alert" data-kind="table" key={t.prefix}>
            The table {t.name} could not be reloaded: {t.error}. The last version that loaded is
            still shown.
          </div>
        ))}
      <ErrorNotices />
      {foreign.length > 0 && (
        <div class="banner warn" data-kind="foreign">
          {foreign.length} unsent edit{foreign.length === 1 ? '' : 's'} belong to another gallery
          (served earlier on this address).
          <button type="button" class="link" onClick={() => app.downloadForeign()}>
            Download
          </button>
          <button
            type="button"
            class="link"
            onClick={() => app.writer.dismiss(foreign.map((e) => e.id))}
          >
            Discard
          </button>
        </div>
      )}
      {failed.length > 0 && (
        <div class="banner error" role="alert" data-kind="failed">
          {failed.length} edit{failed.length === 1 ? '' : 's'} could not be saved: {failed[0]!.path}{' '}
          — {failed[0]!.error?.message}
          <button
            type="button"
            class="link"
            onClick={() => app.selection.select(failed.map((e) => e.path))}
          >
            Show
          </button>
          <button
            type="button"
            class="link"
            onClick={() => app.writer.dismiss(failed.map((e) => e.id))}
          >
            Dismiss
          </button>
        </div>
      )}
      {conflicts.length > 0 && (
        <div class="banner error" data-kind="conflicts">
          {conflicts.length} edit{conflicts.length === 1 ? '' : 's'} conflict with someone else's
          change — choose in the inspector.
          <button
            type="button"
            class="link"
            onClick={() => app.selection.focusPath(conflicts[0]!.path)}
          >
            Show
          </button>
        </div>
      )}
      {banner && (
        <div class="banner activity" data-kind="activity">
          {banner.text}
          <button
            type="button"
            class="link"
            onClick={() => {
              app.selection.select(banner.paths.filter((p) => app.listing.indexOf(p) >= 0));
              app.activity.clear();
            }}
          >
            Show
          </button>
          <button type="button" class="x" title="Dismiss" onClick={() => app.activity.clear()}>
            ×
          </button>
        </div>
      )}
      {outside > 0 && !banner && (
        <div class="banner quiet" data-kind="outside">
          {outside} change{outside === 1 ? '' : 's'} outside this view
          <button type="button" class="link" onClick={() => app.activity.clear()}>
            OK
          </button>
        </div>
      )}
    </div>
  );
}

/** Errors the app caught, each until dismissed (details are in the console). */
function ErrorNotices() {
  const { errors } = useApp();
  return (
    <>
      {errors.notices.value.map((n) => (
        <div class="banner error" role="alert" data-kind="error" key={n.id}>
          {n.text}
          {n.count > 1 && ` (${n.count}×)`}
          <button type="button" class="x" title="Dismiss" onClick={() => errors.dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </>
  );
}

/** The label log's integrity: damaged history (until repaired), and what start-up recovery cut. */
function IntegrityBanners() {
  const { server } = useApp();
  const history = server.integrity.value?.history;
  const recovered = server.recovery.value;
  return (
    <>
      {history?.state === 'damaged' && (
        <div class="banner error" role="alert" data-kind="integrity">
          The label history on the server is damaged: {history.problem}. New labels are still saved;
          ask whoever runs the server to repair it.
        </div>
      )}
      {history?.state === 'failed' && (
        <div class="banner warn" data-kind="integrity">
          The server could not check its label history: {history.problem}.
        </div>
      )}
      {recovered && (
        <div class="banner info" data-kind="recovery">
          The server restarted after an interrupted write: it set aside{' '}
          {setAside(recovered.records)} that {recovered.records > 1 ? 'were' : 'was'} never
          confirmed ({recovered.bytes} bytes, kept in {recovered.quarantine}). Every confirmed
          change is kept.
          <button type="button" class="x" title="Dismiss" onClick={() => server.dismissRecovery()}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

/** What a recovery cut, in words: whole records, or only the unreadable end of one. */
function setAside(records: number): string {
  if (records === 0) return 'the unreadable end of a change';
  return records === 1 ? '1 change' : `${records} changes`;
}
