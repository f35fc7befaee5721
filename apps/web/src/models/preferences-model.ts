/**
 * UI preferences as signals, written back to localStorage whenever one changes (an effect,
 * stopped by `dispose()`). A storage that refuses (quota, private mode) is reported; the
 * preference still applies to this page.
 */
import { computed, effect, type ReadonlySignal, signal } from '@preact/signals';
import type { Report } from './errors-model.ts';
import { type Layout, type Preferences, readPreferences, toStorageItems } from './preferences.ts';

export type PreferencesModel = ReturnType<typeof createPreferencesModel>;

export function createPreferencesModel(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  report: Report,
) {
  const prefs = signal<Preferences>(readPreferences(storage));
  const set = (next: Partial<Preferences>) => {
    prefs.value = { ...prefs.peek(), ...next };
  };
  const stop = effect(() => {
    try {
      for (const [key, value] of toStorageItems(prefs.value)) storage.setItem(key, value);
    } catch (error) {
      report('Saving your view preferences in this browser', error, 'background');
    }
  });

  return {
    inspector: computed(() => prefs.value.inspector) as ReadonlySignal<boolean>,
    metrics: computed(() => prefs.value.metrics) as ReadonlySignal<boolean>,
    layout: computed(() => prefs.value.layout) as ReadonlySignal<Layout>,
    size: computed(() => prefs.value.size) as ReadonlySignal<number>,
    setLayout: (layout: Layout) => set({ layout }),
    setSize: (size: number) => set({ size }),
    showInspector: (inspector = true) => set({ inspector }),
    toggleInspector: () => set({ inspector: !prefs.peek().inspector }),
    toggleMetrics: () => set({ metrics: !prefs.peek().metrics }),
    dispose: stop,
  };
}
