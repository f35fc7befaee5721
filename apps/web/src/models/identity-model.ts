/**
 * Who is labeling: a display name chosen on first visit, stored in this browser and changeable.
 * Sent with every write as X-Lenslet-User; the server records it as `updated_by`.
 */
import { type ReadonlySignal, signal } from '@preact/signals';

export const MAX_NAME_LENGTH = 64;
const KEY = 'lenslet.user';

/** A usable display name, or null: trimmed, NFC, 1–64 characters, no control characters. */
export function toDisplayName(raw: string): string | null {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return null;
  return name;
}

export type Identity = ReturnType<typeof createIdentity>;

export function createIdentity(storage: Pick<Storage, 'getItem' | 'setItem'>) {
  const stored = toDisplayName(storage.getItem(KEY) ?? '');
  const user = signal<string | null>(stored);
  /** The name prompt is open (first visit, or the user asked to change it). */
  const prompting = signal(stored === null);
  return {
    user: user as ReadonlySignal<string | null>,
    prompting: prompting as ReadonlySignal<boolean>,
    /** Open the name prompt (the user clicked their name). */
    prompt(): void {
      prompting.value = true;
    },
    /** Close the name prompt without a change. */
    cancelPrompt(): void {
      prompting.value = false;
    },
    /** Set the name; returns false (and keeps the old one) when it is not usable. */
    set(raw: string): boolean {
      const name = toDisplayName(raw);
      if (!name) return false;
      storage.setItem(KEY, name);
      user.value = name;
      prompting.value = false;
      return true;
    },
  };
}
