/** Small hooks over the app model, so components ask for what they need by name. */
import { useLayoutEffect } from 'preact/hooks';
import type { FocusTarget } from '../models/ui-model.ts';
import { useApp } from './context.ts';

/**
 * Register how to focus this input (T, N and / focus it synchronously), and focus it now if a
 * key asked before it was mounted. A layout effect: registered in the same commit, so a key
 * pressed right after the item changes already finds it.
 */
export function useFocusable(target: FocusTarget, focus: () => void, enabled = true): void {
  const { ui } = useApp();
  useLayoutEffect(() => (enabled ? ui.registerFocus(target, focus) : undefined), []);
}
