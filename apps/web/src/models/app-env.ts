/**
 * Everything the app model needs from the browser, as one object: `main.tsx` builds it from the
 * real page (fetch, localStorage, Web Locks, the IndexedDB outbox, the live feed, the URL), unit
 * tests from fakes.
 */
import type { LabelFeed, LockManagerLike } from '../feed.ts';
import type { OutboxStore } from '../outbox.ts';

export type AppEnv = {
  readonly fetch: typeof fetch;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly locks:
    | (LockManagerLike & { query?: () => Promise<{ held?: { name?: string }[] }> })
    | null;
  readonly outbox: OutboxStore;
  /** The live feed (already subscribed to the relay channel). */
  readonly openFeed: (headers: () => Record<string, string>) => LabelFeed;
  /** `location.search` at start. */
  readonly search: string;
  readonly setUrl: (search: string, push: boolean) => void;
  readonly download: (name: string, blob: Blob) => void;
  /** Put text on the clipboard (the Quick View's copy buttons). */
  readonly copy?: (text: string) => Promise<void>;
  readonly clientId?: string;
  /** Where details of caught errors are logged (default: the console). */
  readonly log?: Pick<Console, 'error' | 'warn'>;
};
