/**
 * The derived score: a formula over metrics (`0.7*aesthetic + 0.3*z(clip_score)`), checked by
 * the server as it is typed — a mistake is shown at its position, with the server's words — and
 * applied (Enter or Apply) as the field `@derived`: sorted by, brushed, shown on cards. The
 * metric names below insert themselves at the cursor.
 */
import { DERIVED_FIELD } from '@lenslet/core';
import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { formatCount } from '../format.ts';
import { withKey } from '../models/field-filters.ts';
import { markAt } from '../models/formula-mark.ts';
import { useApp } from './context.ts';

const PLAIN_NAME = /^[A-Za-z_][\w.]*$/;

export function FormulaEditor({ names }: { names: readonly string[] }) {
  const app = useApp();
  const view = app.view.value;
  const draft = useSignal(view.formula);
  // A formula from elsewhere (the URL, a saved view) replaces the draft.
  const applied = useComputed(() => app.view.value.formula);
  useSignalEffect(() => {
    draft.value = applied.value;
  });
  const input = useRef<HTMLInputElement>(null);
  const check = app.metrics.check.value;
  const current = check?.formula === draft.value ? check : null;
  const type = (text: string) => {
    draft.value = text;
    app.metrics.checkFormula(text);
  };
  const apply = () => {
    const formula = draft.value.trim();
    if (formula === view.formula) return;
    if (formula === '') {
      const derived = view.sort === `metric:${DERIVED_FIELD}`;
      app.navigate({
        formula: '',
        ranges: withKey(view.ranges, DERIVED_FIELD, null),
        ...(derived ? { sort: 'name', dir: 'asc' } : {}),
        ...(view.show === DERIVED_FIELD ? { show: '' } : {}),
      });
    } else if (current?.state !== 'error') {
      app.navigate({ formula, sort: `metric:${DERIVED_FIELD}`, dir: 'desc' });
    }
  };
  const insert = (name: string) => {
    const el = input.current!;
    const token = PLAIN_NAME.test(name) ? name : `\`${name}\``;
    const at = el.selectionStart ?? draft.value.length;
    const text = draft.value.slice(0, at) + token + draft.value.slice(el.selectionEnd ?? at);
    type(text);
    el.focus();
    requestAnimationFrame(() => el.setSelectionRange(at + token.length, at + token.length));
  };
  const error = current?.state === 'error' ? current : null;
  return (
    <div class="formula">
      <div class="mhead">
        <label class="mname" for="lenslet-formula">
          Derived score
        </label>
      </div>
      <div class="frow2">
        <input
          id="lenslet-formula"
          ref={input}
          class={`finput${error ? ' bad' : ''}`}
          value={draft.value}
          spellcheck={false}
          autocomplete="off"
          placeholder="0.7*aesthetic + 0.3*z(clip_score)"
          aria-invalid={error ? true : undefined}
          aria-describedby="lenslet-formula-status"
          onInput={(e) => type((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply();
          }}
        />
        <button
          type="button"
          class="primary"
          disabled={draft.value.trim() === view.formula || error !== null}
          onClick={apply}
        >
          {draft.value.trim() === '' && view.formula ? 'Remove' : 'Apply'}
        </button>
      </div>
      <div id="lenslet-formula-status" class="fstatus" aria-live="polite">
        {error && (
          <div class="ferr" role="alert">
            {error.position !== null && (
              <FormulaMark text={draft.value} position={error.position} />
            )}
            <span>{error.message}</span>
          </div>
        )}
        {current?.state === 'checking' && <span class="dim">Checking…</span>}
        {current?.state === 'ok' && current.derived && (
          <span class="dim">
            ✓ {formatCount(current.derived.valid_count)} scored
            {current.derived.invalid_count > 0 &&
              ` · ${formatCount(current.derived.invalid_count)} without a score`}
          </span>
        )}
      </div>
      <div class="fnames">
        {names.map((n) => (
          <button type="button" key={n} class="fname-chip" onClick={() => insert(n)}>
            {n}
          </button>
        ))}
      </div>
    </div>
  );
}

function FormulaMark({ text, position }: { text: string; position: number }) {
  const [before, at, after] = markAt(text, position);
  return (
    <code class="fmark">
      {before}
      <mark>{at}</mark>
      {after}
    </code>
  );
}
