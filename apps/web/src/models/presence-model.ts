/**
 * Presence of this tab: join the folder being viewed, move when it changes, heartbeat every
 * 30 s (join with the lease), leave on page hide. Counts per folder come from the join/move
 * answers and the live `presence` events. A lost lease (server restarted) rejoins.
 * Owns the heartbeat interval; `leave()` and `dispose()` stop it.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { type Api, statusOf } from '../api.ts';
import type { Report } from './errors-model.ts';

export const PRESENCE_HEARTBEAT_MS = 30_000;

export type PresenceCounts = { readonly viewing: number; readonly editing: number };

export type Presence = ReturnType<typeof createPresence>;

export function createPresence(deps: {
  api: Pick<Api, 'presence'>;
  clientId: string;
  report: Report;
}) {
  const counts = signal<ReadonlyMap<string, PresenceCounts>>(new Map());
  let gallery: string | null = null;
  let lease: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let chain: Promise<void> = Promise.resolve();

  const put = (gallery_id: unknown, c: { viewing?: unknown; editing?: unknown }) => {
    if (typeof gallery_id !== 'string' || typeof c.viewing !== 'number') return;
    const next = new Map(counts.peek());
    next.set(gallery_id, { viewing: c.viewing, editing: Number(c.editing) || 0 });
    counts.value = next;
  };

  const join = async (target: string) => {
    try {
      const answer = await deps.api.presence('join', {
        gallery_id: target,
        client_id: deps.clientId,
        ...(lease ? { lease_id: lease } : {}),
      });
      lease = typeof answer.lease_id === 'string' ? answer.lease_id : lease;
      put(answer.gallery_id ?? target, answer);
    } catch (e) {
      if (statusOf(e) === 409 && lease) {
        lease = null;
        await join(target);
      } else {
        deps.report('Joining the people in this folder', e, 'background');
      }
    }
  };

  const enter = async (target: string) => {
    const from = gallery;
    gallery = target;
    if (!lease || from === null) return join(target);
    if (from === target) return join(target);
    try {
      const answer = await deps.api.presence('move', {
        from_gallery_id: from,
        to_gallery_id: target,
        client_id: deps.clientId,
        lease_id: lease,
      });
      const to = (answer.to_scope ?? answer) as Record<string, unknown>;
      put(to.gallery_id ?? target, to);
      const back = answer.from_scope as Record<string, unknown> | undefined;
      if (back) put(back.gallery_id ?? from, back);
    } catch {
      // Handled, not ignored: a move fails when the lease is gone (the server restarted) or the
      // server is unreachable; joining afresh recovers from both, and reports if it fails too.
      lease = null;
      await join(target);
    }
  };

  const queue = (fn: () => Promise<void>) => {
    chain = chain.then(fn, fn);
    return chain;
  };

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    counts: counts as ReadonlySignal<ReadonlyMap<string, PresenceCounts>>,
    /** Join or move to `target` (a canonical folder path). */
    enter: (target: string) => queue(() => enter(target)),
    /** Heartbeat now (also after the stream reconnects: the server may have restarted). */
    heartbeat: () => queue(() => (gallery ? join(gallery) : Promise.resolve())),
    start(): void {
      timer ??= setInterval(() => void this.heartbeat(), PRESENCE_HEARTBEAT_MS);
    },
    /** Presence event from the live stream. */
    apply(event: { gallery_id: string; viewing: number; editing: number }): void {
      put(event.gallery_id, event);
    },
    /** Page hide: leave without waiting for an answer. */
    leave(): void {
      stop();
      if (gallery && lease) {
        void deps.api.presence(
          'leave',
          { gallery_id: gallery, client_id: deps.clientId, lease_id: lease },
          true,
        );
      }
      lease = null;
    },
    dispose: stop,
  };
}
