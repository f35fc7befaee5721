/**
 * `lenslet serve --store postgres://…`: open the label log in PostgreSQL for this workspace
 * (store-binding.ts decides which log that is), and the parts replicas on one database share —
 * the read-your-writes catch-up, the saved views and presence — for createApp.
 */
import { LensletError } from '@lenslet/core';
import { openPostgresStore, type PostgresStore, redactUrl } from '@lenslet/postgres';
import type { ServerDeps } from '@lenslet/server';
import { localLog, readBinding, writeBinding } from './store-binding.ts';

export type SharedStore = {
  readonly store: PostgresStore;
  /** What createApp needs besides the store. */
  readonly deps: Pick<ServerDeps, 'sync' | 'views' | 'presence_sharing'>;
  /** For the banner: the database (password hidden) and the log. */
  readonly describe: string;
};

/** Open the log at `url` for `workspace` (null: the demo gallery, bound to nothing). */
export async function openSharedStore(
  url: string,
  workspace: string | null,
  writable: boolean,
  say: (line: string) => void,
): Promise<SharedStore> {
  const shown = redactUrl(url);
  const binding = workspace === null ? null : await readBinding(workspace);
  const local = workspace === null || binding !== null ? null : await localLog(workspace);
  const wanted = binding?.log_id ?? local?.log_id;
  const store = await openPostgresStore(url, {
    ...(wanted === undefined ? {} : { log_id: wanted }),
    onWarning: (message) => say(`lenslet: ${message}`),
  });
  if (local !== null && store.head() === 0) {
    await store.close();
    throw new LensletError(
      'precondition_failed',
      `${workspace} holds labels of its own (log ${local.log_id}) that are not in ${shown}; copy them first: lenslet migrate --from ${workspace} --to <url>`,
    );
  }
  if (workspace !== null && binding === null) {
    if (local === null) {
      say(
        `${workspace} serves the label log ${store.log_id} in ${shown} from now on (${store.head().toLocaleString('en-US')} records there).`,
      );
    }
    if (writable) {
      await writeBinding(workspace, {
        log_id: store.log_id,
        store: shown,
        bound_at: new Date().toISOString(),
      });
    }
  }
  return {
    store,
    deps: {
      sync: () => store.sync(),
      views: store.views,
      presence_sharing: store.presence,
    },
    describe: `PostgreSQL ${shown}, log ${store.log_id}`,
  };
}
