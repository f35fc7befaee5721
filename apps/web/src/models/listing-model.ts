/**
 * The current view's result list, loaded a page at a time as the grid needs it, so a folder of
 * 1,000,000 images costs one small request to show. `slots[i]` is the path at position i (or
 * undefined until its page arrives); `revision` bumps whenever slots change.
 * A load started for an older view is discarded when it arrives (generation counter).
 * Signals only: no effects or timers.
 */
import type { CanonicalPath } from '@lenslet/core';
import { batch, type ReadonlySignal, signal } from '@preact/signals';
import type { Api, QueryBody, QueryPage } from '../api.ts';
import type { Report } from './errors-model.ts';
import type { ItemStore } from './items-model.ts';

export const PAGE_SIZE = 500;

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export type Listing = ReturnType<typeof createListing>;

export function createListing(deps: {
  api: Pick<Api, 'query'>;
  items: ItemStore;
  report: Report;
  pageSize?: number;
}) {
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  const total = signal(0);
  const scopeTotal = signal(0);
  const facets = signal<QueryPage['facets']>({ star: {} });
  const revision = signal(0);
  const loading = signal(false);
  const error = signal<string | null>(null);
  let slots: (CanonicalPath | undefined)[] = [];
  let index = new Map<CanonicalPath, number>();
  /** File name → how many loaded positions hold it (cards show the folder of repeated names). */
  let names = new Map<string, number>();
  const countName = (path: CanonicalPath, by: number) => {
    const name = fileName(path);
    names.set(name, (names.get(name) ?? 0) + by);
  };
  let body: Omit<QueryBody, 'offset' | 'limit'> | null = null;
  let pages = new Map<number, Promise<void>>();
  let generation = 0;
  /** Positions the grid showed last (polling refreshes only these). */
  let visible: [number, number] = [0, 0];

  const fetchPage = (page: number, gen: number): Promise<void> => {
    const existing = pages.get(page);
    if (existing) return existing;
    const promise = (async () => {
      const result = await deps.api.query({
        ...body!,
        offset: page * pageSize,
        limit: pageSize,
      });
      if (gen !== generation) return;
      accept(result);
    })();
    pages.set(page, promise);
    // Forget a failed page so the next `ensure` asks again; callers see the error.
    promise.catch(() => pages.delete(page));
    return promise;
  };

  const accept = (result: QueryPage) => {
    batch(() => {
      if (slots.length !== result.filtered_total) slots.length = result.filtered_total;
      result.items.forEach((item, i) => {
        const entry = deps.items.putListed(item);
        const before = slots[result.offset + i];
        if (before !== entry.path) {
          if (before !== undefined) countName(before, -1);
          countName(entry.path, 1);
        }
        slots[result.offset + i] = entry.path;
        index.set(entry.path, result.offset + i);
      });
      total.value = result.filtered_total;
      scopeTotal.value = result.total;
      facets.value = result.facets;
      revision.value += 1;
    });
  };

  return {
    total: total as ReadonlySignal<number>,
    scopeTotal: scopeTotal as ReadonlySignal<number>,
    facets: facets as ReadonlySignal<QueryPage['facets']>,
    revision: revision as ReadonlySignal<number>,
    loading: loading as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<string | null>,

    /** Start a new view: fetch its first page; resolves with the seq that page reflects. */
    async load(query: Omit<QueryBody, 'offset' | 'limit'>): Promise<number> {
      generation += 1;
      const gen = generation;
      body = query;
      pages = new Map();
      loading.value = true;
      error.value = null;
      try {
        const first = await deps.api.query({ ...query, offset: 0, limit: pageSize });
        if (gen !== generation) return first.seq;
        slots = [];
        index = new Map();
        names = new Map();
        pages.set(0, Promise.resolve());
        accept(first);
        return first.seq;
      } catch (e) {
        if (gen === generation) error.value = (e as Error).message;
        throw e;
      } finally {
        if (gen === generation) loading.value = false;
      }
    },

    /** Make sure positions from..to (inclusive) are loaded or loading. */
    ensure(from: number, to: number): void {
      if (!body) return;
      visible = [from, to];
      const last = Math.min(to, slots.length - 1);
      for (let page = Math.floor(Math.max(0, from) / pageSize); page * pageSize <= last; page++) {
        fetchPage(page, generation).catch((e: unknown) => {
          deps.report('Loading more of this folder', e, 'background');
        });
      }
    },

    /** Load every page (select all, export of paths); resolves with all paths in order. */
    async all(): Promise<CanonicalPath[]> {
      const gen = generation;
      const count = Math.ceil(slots.length / pageSize);
      for (let page = 0; page < count; page++) await fetchPage(page, gen);
      return slots.filter((p): p is CanonicalPath => p !== undefined);
    },

    /** Refetch the pages in view (polling while the stream is down, folder changes). */
    async refresh(): Promise<void> {
      if (!body) return;
      const gen = generation;
      const shown: number[] = [];
      for (let page = Math.floor(visible[0] / pageSize); page * pageSize <= visible[1]; page++) {
        shown.push(page);
        pages.delete(page);
      }
      await Promise.all(shown.map((page) => fetchPage(page, gen)));
    },

    at: (i: number): CanonicalPath | undefined => slots[i],
    /** More than one loaded item of this view has this file name (reactive). */
    repeated(name: string): boolean {
      revision.value;
      return (names.get(name) ?? 0) > 1;
    },
    indexOf: (path: CanonicalPath): number => index.get(path) ?? -1,
    get length() {
      return slots.length;
    },
  };
}
