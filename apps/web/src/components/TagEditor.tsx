/**
 * Tag chips with remove buttons and an input with autocomplete from /tags (↑/↓ to choose,
 * Enter or Tab to add, Esc to leave). Adding and removing send add_tags / remove_tags, so other
 * people's tags are never overwritten.
 */
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { useApp } from './context.ts';
import { useFocusable } from './hooks.ts';

export function TagEditor({
  tags,
  onAdd,
  onRemove,
  counts,
  focusable = true,
}: {
  tags: readonly string[];
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
  /** For a multi-selection: how many selected items carry each tag. */
  counts?: ReadonlyMap<string, number>;
  focusable?: boolean;
}) {
  const app = useApp();
  const input = useRef<HTMLInputElement>(null);
  const text = useSignal('');
  const active = useSignal(0);
  const open = useSignal(false);

  useFocusable('tags', () => input.current?.focus(), focusable);

  const q = text.value.trim().toLowerCase();
  const suggestions = open.value
    ? app.tags.suggestions.value
        .filter((s) => !tags.includes(s.tag) && (q === '' || s.tag.toLowerCase().includes(q)))
        .slice(0, 8)
    : [];

  const add = (tag: string) => {
    const t = tag.trim();
    if (!t) return;
    onAdd(t);
    text.value = '';
    active.value = 0;
  };

  return (
    <div class="tag-editor">
      <div class="chips">
        {tags.map((tag) => (
          <span class="chip" key={tag}>
            {tag}
            {counts && <span class="chip-count">{counts.get(tag)}</span>}
            <button type="button" title={`Remove "${tag}"`} onClick={() => onRemove(tag)}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div class="ac">
        <input
          ref={input}
          class="tag-input"
          placeholder="Add tag… (T)"
          value={text.value}
          maxLength={128}
          onInput={(e) => {
            text.value = (e.currentTarget as HTMLInputElement).value;
            open.value = true;
            active.value = 0;
          }}
          onFocus={() => {
            open.value = true;
          }}
          onBlur={() => {
            open.value = false;
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = suggestions.length;
              if (n) active.value = (active.value + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
            } else if (e.key === 'Enter' || (e.key === 'Tab' && q && suggestions.length)) {
              e.preventDefault();
              const pick = suggestions[active.value];
              add(q && pick && e.key === 'Tab' ? pick.tag : text.value || pick?.tag || '');
            } else if (e.key === 'Escape') {
              input.current?.blur();
            }
          }}
        />
        {suggestions.length > 0 && (
          <ul class="ac-list">
            {suggestions.map((s, i) => (
              <li
                key={s.tag}
                class={i === active.value ? 'on' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(s.tag);
                }}
              >
                {s.tag}
                <span class="dim">{s.count}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
