/** The three collaboration indicators: who is here, the live connection, and unsaved edits. */
import type { ConnectionLabel } from '../models/connection-model.ts';
import { useApp } from './context.ts';

export function PresencePill() {
  const app = useApp();
  const here = app.here.value;
  if (!here) return null;
  const total = here.viewing + here.editing;
  return (
    <span
      class={`presence${app.stream.label.value === 'live' ? '' : ' stale'}`}
      title={`${here.editing} editing · ${here.viewing} viewing (including you)`}
      data-viewing={here.viewing}
      data-editing={here.editing}
    >
      <span class="dot" />
      {total} here
    </span>
  );
}

const LABELS: Record<ConnectionLabel, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline (polling)',
  unauthorized: 'Needs access',
};

export function ConnectionStatus() {
  const app = useApp();
  const state = app.stream.label.value;
  return (
    <span class={`conn conn-${state}`} data-state={state} title="Live updates from the server">
      <span class="dot" />
      {LABELS[state]}
    </span>
  );
}

export function SyncIndicator() {
  const app = useApp();
  const status = app.writer.status.value;
  const n = app.writer.pending.value.length;
  if (status === 'retrying') {
    return (
      <button
        type="button"
        class="sync sync-error"
        data-state="retrying"
        title="Your edits are kept in this browser and retried automatically"
        onClick={() => app.writer.retryNow()}
      >
        Not saved — retry ({n})
      </button>
    );
  }
  return (
    <span class={`sync sync-${status}`} data-state={status} data-pending={n}>
      {status === 'saving' ? `Saving… (${n})` : 'All changes saved'}
    </span>
  );
}
