/**
 * The original Lenslet's `/health` words for a server that serves one table (table mode):
 * `table_launch_status` (core's protocol/table-launch.ts) and a `launch_session` naming the
 * table file, built from the table's own status. Pure.
 */
import { basename } from 'node:path';
import type { HealthAnswer, TableLaunchStatus, TableStatus } from '@lenslet/core';

/** `local`: the request comes from this machine (only then is the image folder named). */
export function tableLaunchStatus(
  status: Omit<TableStatus, 'file'>,
  root: string,
  local: boolean,
): TableLaunchStatus {
  const skipped = Object.values(status.skipped).reduce((sum, n) => sum + n, 0);
  const missing = status.missing_files ?? 0;
  return {
    source_column: status.path_column,
    path_column: null,
    path_mode: 'source-derived',
    root_policy: 'base-dir',
    base_dir: local ? root : null,
    workspace_mode: 'workspace',
    source_table_rows: status.rows + skipped,
    gallery_rows: status.rows,
    skipped_rows: { ...status.skipped, total: skipped, local_missing: missing },
    media_source_kind: 'local',
    dimension_coverage: {
      known: Math.max(0, status.files_checked - missing),
      missing,
      total: status.rows,
    },
    dimension_cache_policy: 'none',
    dimension_write_policy: 'none',
    original_media_policy: {
      mode: 'local_streaming',
      source_kind: 'local',
      proxy_available: true,
      redacted_origin: null,
      warnings: [],
    },
    warnings: status.error === null ? [] : [status.error],
    source_refresh: {
      state: status.error === null ? 'current' : 'stale',
      generation: String(status.generation),
      message:
        status.error === null
          ? null
          : `The table's last rewrite could not be read; the last good version is served: ${status.error}`,
    },
  };
}

/** The window title of a table-mode server: the table file's name. */
export function tableLaunchSession(file: string, labels: string): HealthAnswer['launch_session'] {
  const name = basename(file);
  return {
    kind: 'local_parquet',
    loaded_from_label: 'Local table',
    target_label: `.../${name}`,
    title_label: name,
    detail_label: `Table · ${labels}`,
  };
}
