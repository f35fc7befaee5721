/**
 * What the inspector shows beyond labels for the focused item: every field of its row
 * (`/item/detail`: table columns, gallery columns, label metrics) and what is embedded in the
 * image (`/metadata`: the generation settings of the Quick View and the raw fields). Loaded 200 ms
 * after the focus settles, again on `reload()` (a table reloaded). Metadata is asked only of PNG,
 * JPEG and WebP images; an image without any (404, 415, 422) simply has none.
 * Owns an effect (on the focus) and the debounce timer; `dispose()` stops both.
 */
import type { CanonicalPath } from '@lenslet/core';
import { effect, type ReadonlySignal, signal } from '@preact/signals';
import { type Api, type ItemRow, type MetadataAnswer, statusOf } from '../api.ts';
import type { Report } from './errors-model.ts';

export const INSPECT_DELAY_MS = 200;
const READABLE = /^image\/(png|jpeg|webp)$/;

export type Inspected = {
  readonly path: CanonicalPath;
  readonly row: ItemRow | null;
  /** null: the image has no readable metadata (or is not PNG, JPEG or WebP). */
  readonly metadata: MetadataAnswer | null;
};

export type InspectModel = ReturnType<typeof createInspectModel>;

export function createInspectModel(deps: {
  readonly api: Pick<Api, 'row' | 'metadata'>;
  readonly focus: ReadonlySignal<CanonicalPath | null>;
  /** The focused image's MIME type, when known. */
  readonly mimeOf: (path: CanonicalPath) => string | undefined;
  readonly report: Report;
}) {
  const shown = signal<Inspected | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const none = (e: unknown) => {
    if ([404, 415, 422].includes(statusOf(e))) return null;
    throw e;
  };

  const load = async () => {
    const path = deps.focus.peek();
    if (!path) return;
    try {
      const [row, metadata] = await Promise.all([
        deps.api.row(path).catch(none),
        READABLE.test(deps.mimeOf(path) ?? '') ? deps.api.metadata(path).catch(none) : null,
      ]);
      if (deps.focus.peek() === path) shown.value = { path, row, metadata };
    } catch (error) {
      deps.report('Loading the details of this image', error, 'background');
    }
  };

  const reload = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, INSPECT_DELAY_MS);
  };

  const stop = effect(() => {
    if (deps.focus.value) reload();
  });

  return {
    /** What was loaded for `path` (reactive), or null while it is not loaded. */
    of(path: CanonicalPath | null): Inspected | null {
      const current = shown.value;
      return current && current.path === path ? current : null;
    },
    reload,
    dispose(): void {
      stop();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
