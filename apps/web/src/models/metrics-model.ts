/**
 * The metrics panel's data: the fields of the view's scope (`/folders/fields`: what can be
 * filtered, sorted, shown on cards), the facets of the view (`POST /folders/facets`: a histogram
 * per metric, value counts per categorical, under the view's filters), and the live check of a
 * derived-score formula being typed (a `limit: 0` query: the server answers 400 naming the
 * position and the name of what is wrong).
 * Owns two effects — fields follow the scope, facets follow the view while the panel is shown
 * (`FACETS_DELAY_MS` after the last change, so a brush drag or fast typing costs one request) —
 * and the debounce timers; `dispose()` stops them. Answers for an older view are dropped.
 */
import { type DerivedStatus, type FieldInfo, LensletError } from '@lenslet/core';
import { effect, type ReadonlySignal, signal } from '@preact/signals';
import type { Api, Facets } from '../api.ts';
import type { Report } from './errors-model.ts';
import { toQueryBody, type ViewState } from './view-state.ts';

export const FACETS_DELAY_MS = 120;
export const CHECK_DELAY_MS = 250;

/** Field kinds with facets: a histogram (metric) or value counts (categorical, multi). */
const FACETED = new Set(['metric', 'categorical', 'multi']);

/** The live check of a formula: being checked, fine (with how many rows got a score), or wrong. */
export type FormulaCheck =
  | { readonly formula: string; readonly state: 'checking' }
  | { readonly formula: string; readonly state: 'ok'; readonly derived: DerivedStatus | null }
  | {
      readonly formula: string;
      readonly state: 'error';
      readonly message: string;
      /** 1-based position of the problem in the formula, when the server names one. */
      readonly position: number | null;
    };

export type MetricsModel = ReturnType<typeof createMetricsModel>;

export function createMetricsModel(deps: {
  readonly api: Pick<Api, 'fields' | 'facets' | 'query'>;
  readonly view: ReadonlySignal<ViewState>;
  /** The panel is on screen: facets are only loaded then. */
  readonly shown: ReadonlySignal<boolean>;
  readonly report: Report;
}) {
  const fields = signal<readonly FieldInfo[]>([]);
  const facets = signal<Facets | null>(null);
  const check = signal<FormulaCheck | null>(null);
  /** Bumped by `refresh()` (a table reloaded): everything is fetched again. */
  const tick = signal(0);
  /** Bumped when label metrics change under the view: the facets are fetched again. */
  const facetsTick = signal(0);
  let facetsTimer: ReturnType<typeof setTimeout> | null = null;
  let checkTimer: ReturnType<typeof setTimeout> | null = null;
  let fieldsAsked = '';
  let facetsAsked = '';

  const stopFields = effect(() => {
    const { folder, recursive } = deps.view.value;
    const key = `${tick.value} ${recursive} ${folder}`;
    if (key === fieldsAsked) return;
    fieldsAsked = key;
    deps.api.fields(folder, recursive).then(
      (answer) => {
        if (fieldsAsked === key) fields.value = answer.fields;
      },
      (e: unknown) => deps.report('Loading the fields of this folder', e, 'background'),
    );
  });

  const stopFacets = effect(() => {
    const view = deps.view.value;
    const wanted = deps.shown.value && fields.value.some((f) => FACETED.has(f.kind));
    const ticks = `${tick.value}.${facetsTick.value}`;
    if (facetsTimer) clearTimeout(facetsTimer);
    facetsTimer = null;
    if (!wanted) return;
    const { sort: _sort, fields: _fields, offset: _o, limit: _l, ...body } = toQueryBody(view);
    const key = `${ticks} ${JSON.stringify(body)}`;
    if (key === facetsAsked) return;
    facetsTimer = setTimeout(() => {
      facetsTimer = null;
      facetsAsked = key;
      deps.api.facets(body).then(
        (answer) => {
          if (facetsAsked === key) facets.value = answer;
        },
        (e: unknown) => {
          if (facetsAsked === key) facetsAsked = '';
          deps.report('Loading the metrics of this view', e, 'background');
        },
      );
    }, FACETS_DELAY_MS);
  });

  const runCheck = async (formula: string) => {
    try {
      const body = toQueryBody({ ...deps.view.peek(), formula }, 0, 0);
      const page = await deps.api.query(body);
      if (check.peek()?.formula === formula) {
        check.value = { formula, state: 'ok', derived: page.derived ?? null };
      }
    } catch (e) {
      if (check.peek()?.formula !== formula) return;
      if (e instanceof LensletError && e.code === 'invalid_query') {
        const position = Number(e.details.position);
        check.value = {
          formula,
          state: 'error',
          message: e.message,
          position: Number.isInteger(position) && position > 0 ? position : null,
        };
      } else {
        check.value = null;
        deps.report('Checking the formula', e, 'background');
      }
    }
  };

  return {
    fields: fields as ReadonlySignal<readonly FieldInfo[]>,
    facets: facets as ReadonlySignal<Facets | null>,
    check: check as ReadonlySignal<FormulaCheck | null>,
    /** A formula was typed: check it with the server after a short pause ('' clears). */
    checkFormula(formula: string): void {
      if (checkTimer) clearTimeout(checkTimer);
      checkTimer = null;
      if (formula.trim() === '') {
        check.value = null;
        return;
      }
      check.value = { formula, state: 'checking' };
      checkTimer = setTimeout(() => {
        checkTimer = null;
        void runCheck(formula);
      }, CHECK_DELAY_MS);
    },
    /**
     * Label metrics changed (a live update): the facets are fetched again, after the same pause
     * (a burst of updates costs one request); the fields too when a metric is new to them.
     */
    metricsChanged(names: readonly string[]): void {
      const known = new Set(fields.peek().map((f) => f.name));
      if (names.some((n) => !known.has(n))) tick.value += 1;
      else facetsTick.value += 1;
    },
    /** Fetch fields and facets again (the table behind the view was reloaded). */
    refresh(): void {
      tick.value += 1;
    },
    dispose(): void {
      stopFields();
      stopFacets();
      if (facetsTimer) clearTimeout(facetsTimer);
      if (checkTimer) clearTimeout(checkTimer);
      facetsTimer = null;
      checkTimer = null;
    },
  };
}
