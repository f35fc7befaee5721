/**
 * Who is labeling. Until people choose a display name they label at once under this browser's
 * session identity (`session:1a2b3c4d`, as the original Lenslet names anonymous writers), so the
 * first keys pressed rate images instead of landing in a name prompt; the name can be set at any
 * time from the top bar. Both are kept in this browser. The actor (name, else session) goes with
 * every write as X-Lenslet-User; the server records it as `updated_by`.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';

export const MAX_NAME_LENGTH = 64;
const KEY = 'lenslet.user';
const SESSION_KEY = 'lenslet.session';
const SESSION = /^session:[0-9a-f]{8}$/;

/** A usable display name, or null: trimmed, NFC, 1–64 characters, no control characters. */
export function toDisplayName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return null;
  return name;
}

/** A new session identity: `session:` and 8 random hex digits. */
export function newSessionId(random: (bytes: Uint8Array) => Uint8Array): string {
  const hex = [...random(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0'));
  return `session:${hex.join('')}`;
}

export type Identity = ReturnType<typeof createIdentity>;

export function createIdentity(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
) {
  const stored = toDisplayName(storage.getItem(KEY) ?? '');
  let session = storage.getItem(SESSION_KEY) ?? '';
  if (!SESSION.test(session)) {
    session = newSessionId(random);
    storage.setItem(SESSION_KEY, session);
  }
  /** The chosen display name, or null until one is given. */
  const name = signal<string | null>(stored);
  /** The name dialog is open (the user asked to set or change the name). */
  const prompting = signal(false);
  return {
    name: name as ReadonlySignal<string | null>,
    /** Who this browser's writes are recorded as: the name, else the session identity. */
    user: computed(() => name.value ?? session),
    session,
    prompting: prompting as ReadonlySignal<boolean>,
    /** Open the name dialog (the user clicked their name). */
    prompt(): void {
      prompting.value = true;
    },
    /** Close the name dialog without a change. */
    cancelPrompt(): void {
      prompting.value = false;
    },
    /** Set the name; returns false (and keeps the old one) when it is not usable. */
    set(raw: string): boolean {
      const next = toDisplayName(raw);
      if (!next) return false;
      storage.setItem(KEY, next);
      name.value = next;
      prompting.value = false;
      return true;
    },
  };
}
