/**
 * Tag suggestions for the tag editor's autocomplete: the tags used in the open folder, with
 * counts, from GET /tags. Signals only: no effects or timers.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Api } from '../api.ts';
import type { Report } from './errors-model.ts';

export type TagCount = { readonly tag: string; readonly count: number };

export type TagsModel = ReturnType<typeof createTagsModel>;

export function createTagsModel(api: Pick<Api, 'tags'>, report: Report) {
  const suggestions = signal<readonly TagCount[]>([]);
  return {
    suggestions: suggestions as ReadonlySignal<readonly TagCount[]>,
    /** Load the tags of `folder`. */
    refresh(folder: string): void {
      api.tags(folder).then(
        (tags) => {
          suggestions.value = tags;
        },
        (error: unknown) => report('Loading the tag suggestions', error, 'background'),
      );
    },
  };
}
