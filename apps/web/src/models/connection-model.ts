/**
 * Connection status as the user sees it — `Live`, `Reconnecting…`, `Offline (polling)` — and the
 * polling fallback: after repeated stream failures the open folder and item are refetched about
 * every 15 s, until the stream is healthy again. Owns the polling interval; `dispose()` stops it.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { FeedStatus } from '../feed.ts';

export const OFFLINE_AFTER_FAILURES = 3;
export const POLL_INTERVAL_MS = 15_000;

/** The connection indicator's state. */
export type ConnectionLabel = 'live' | 'connecting' | 'reconnecting' | 'offline' | 'unauthorized';

export type Connection = ReturnType<typeof createConnection>;

export function createConnection(deps: { poll: () => Promise<void> | void }) {
  const status = signal<FeedStatus>({ state: 'connecting', failures: 0, leader: false });
  let timer: ReturnType<typeof setInterval> | null = null;

  const label = computed<ConnectionLabel>(() => {
    const s = status.value;
    if (s.state === 'live') return 'live';
    if (s.state === 'unauthorized') return 'unauthorized';
    if (s.failures >= OFFLINE_AFTER_FAILURES) return 'offline';
    return s.state === 'connecting' ? 'connecting' : 'reconnecting';
  });

  const update = (next: FeedStatus) => {
    status.value = next;
    const polling = label.peek() === 'offline';
    if (polling && !timer) {
      timer = setInterval(() => void deps.poll(), POLL_INTERVAL_MS);
    } else if (!polling && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  return {
    status: status as ReadonlySignal<FeedStatus>,
    label,
    /** The feed's state changed. */
    update,
    get polling() {
      return timer !== null;
    },
    dispose(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
