/**
 * Page state that is not data and not kept: which overlay is open (viewer, shortcut list, filter
 * panel), the grid's column count, the short-lived toast, and focus requests for inputs (T, N, /)
 * that may not be mounted yet. Owns the toast's timer, cleared by `dispose()`.
 */
import { type ReadonlySignal, signal } from '@preact/signals';

export const TOAST_MS = 2_500;

export type Overlay = 'viewer' | 'shortcuts' | 'filters';

export type FocusTarget = 'tags' | 'notes' | 'search';

export type Toast = { readonly text: string; readonly at: number };

export type UiModel = ReturnType<typeof createUiModel>;

export function createUiModel(deps: { showInspector: () => void }) {
  const open = {
    viewer: signal(false),
    shortcuts: signal(false),
    filters: signal(false),
  } satisfies Record<Overlay, unknown>;
  const fitToggle = signal(0);
  const columns = signal(1);
  const toast = signal<Toast | null>(null);
  let toastTimer: ReturnType<typeof setTimeout> | null = null;
  /** A focus request for an input that is not mounted yet (taken when it mounts). */
  let wanted: FocusTarget | null = null;
  /** Mounted inputs register how to focus them, so a key focuses them synchronously. */
  const focusers = new Map<FocusTarget, () => void>();

  return {
    viewer: open.viewer as ReadonlySignal<boolean>,
    shortcuts: open.shortcuts as ReadonlySignal<boolean>,
    filters: open.filters as ReadonlySignal<boolean>,
    setOpen(overlay: Overlay, value: boolean): void {
      open[overlay].value = value;
    },
    toggle(overlay: Overlay): void {
      open[overlay].value = !open[overlay].peek();
    },

    /** Bumped by F in the viewer: toggle fit / 100%. */
    fitToggle: fitToggle as ReadonlySignal<number>,
    toggleFit(): void {
      fitToggle.value += 1;
    },

    /** Grid columns (reported by the grid, used by up/down keys). */
    columns: columns as ReadonlySignal<number>,
    setColumns(n: number): void {
      columns.value = n;
    },

    toast: toast as ReadonlySignal<Toast | null>,
    /** Show a short message for 2.5 s. */
    say(text: string): void {
      const shown = { text, at: Date.now() };
      toast.value = shown;
      if (toastTimer) clearTimeout(toastTimer);
      toastTimer = setTimeout(() => {
        toastTimer = null;
        if (toast.peek() === shown) toast.value = null;
      }, TOAST_MS);
    },

    /** Focus an input now (the next key typed must land in it), or as soon as it mounts. */
    requestFocus(target: FocusTarget): void {
      const focus = focusers.get(target);
      if (focus) {
        focus();
        return;
      }
      if (target !== 'search') deps.showInspector();
      wanted = target;
    },
    /** A mounted input: focus it now if it was asked for; returns the unregister function. */
    registerFocus(target: FocusTarget, focus: () => void): () => void {
      focusers.set(target, focus);
      if (wanted === target) {
        wanted = null;
        focus();
      }
      return () => {
        if (focusers.get(target) === focus) focusers.delete(target);
      };
    },

    dispose(): void {
      if (toastTimer) clearTimeout(toastTimer);
      toastTimer = null;
    },
  };
}
