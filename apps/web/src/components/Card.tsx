/**
 * One card: thumbnail (lazy, placeholder until loaded, retry when it fails), file name (with its
 * folder when the name repeats in the view), dimensions, stars and tags, and the value of the
 * field the view shows on cards (metrics panel, or the sort field). A table row whose file is
 * missing says so instead of a thumbnail. Flashes when someone else changed it; a badge marks a conflict,
 * a dot an edit not saved yet.
 */
import type { CanonicalPath } from '@lenslet/core';
import { DERIVED_FIELD } from '@lenslet/core';
import { useSignal } from '@preact/signals';
import { formatValue } from '../format.ts';
import { cardField } from '../models/view-state.ts';
import { useApp } from './context.ts';
import { Stars } from './Stars.tsx';

export const FLASH_MS = 1_600;

type Props = {
  index: number;
  path: CanonicalPath | undefined;
  x: number;
  y: number;
  w: number;
  h: number;
};

export function Card({ index, path, x, y, w, h }: Props) {
  const app = useApp();
  const style = { transform: `translate(${x}px,${y}px)`, width: `${w}px`, height: `${h}px` };
  const entry = path ? app.items.get(path) : undefined;
  if (!path || !entry) return <div class="card card-loading" style={style} />;
  const meta = entry.meta.value;
  const labels = app.shown(path)!;
  const outbox = app.writer.entriesOf(path);
  const conflict = outbox.some((e) => e.state === 'conflict');
  const unsaved = outbox.some((e) => e.state === 'pending');
  const failed = outbox.some((e) => e.state === 'failed');
  const selected = app.selection.selected.value.has(path);
  const focused = app.selection.focus.value === path;
  const flashing = Date.now() - entry.flash.value < FLASH_MS;
  const shownField = cardField(app.view.value);
  const cls = `card${selected ? ' sel' : ''}${focused ? ' focus' : ''}${conflict ? ' conflicted' : ''}`;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: cards are driven by the global keys (arrows, Enter, 0–5; see keys.ts)
    <div
      class={cls}
      style={style}
      data-path={path}
      data-star={labels.star ?? ''}
      onClick={(e) =>
        app.selection.click(index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })
      }
      onDblClick={() => {
        app.selection.focusPath(path);
        app.ui.setOpen('viewer', true);
      }}
    >
      {meta?.missing ? (
        <div class="thumb gone">File missing</div>
      ) : (
        <Thumb key={meta?.thumb_url} url={meta?.thumb_url ?? null} alt={meta?.name ?? ''} />
      )}
      <div class="cap">
        <div class="cap1">
          <CardName path={path} name={meta?.name} />
          {meta?.width ? (
            <span class="dim">
              {meta.width}×{meta.height}
            </span>
          ) : null}
        </div>
        <div class="cap2">
          <Stars star={labels.star} />
          {labels.tags.length > 0 && <span class="tags">{labels.tags.join(' · ')}</span>}
          {labels.notes && (
            <span class="has-notes" title={labels.notes}>
              ✎
            </span>
          )}
          {shownField && (
            <span class="cm" title={shownField === DERIVED_FIELD ? 'derived score' : shownField}>
              {formatValue(meta?.fields?.[shownField])}
            </span>
          )}
        </div>
      </div>
      {conflict && (
        <span class="badge conflict-badge" title="Conflict: your change and someone else's">
          !
        </span>
      )}
      {failed && !conflict && (
        <span class="badge failed-badge" title="An edit could not be saved">
          ✕
        </span>
      )}
      {unsaved && !conflict && <span class="unsaved" title="Saving…" />}
      {flashing && <span key={entry.flash.value} class="flash" />}
    </div>
  );
}

/** The file name; with its folder in front when another item of the view has the same name. */
function CardName({ path, name: given }: { path: CanonicalPath; name: string | undefined }) {
  const app = useApp();
  const slash = path.lastIndexOf('/');
  const parent = slash > 0 ? path.slice(path.lastIndexOf('/', slash - 1) + 1, slash) : '';
  return (
    <span class="name" title={path}>
      {parent && app.listing.repeated(path.slice(slash + 1)) && (
        <span class="parent">{parent}/</span>
      )}
      {given ?? path.slice(slash + 1)}
    </span>
  );
}

/** Lazy thumbnail: placeholder, fade-in, and up to 3 automatic retries when loading fails. */
function Thumb({ url, alt }: { url: string | null; alt: string }) {
  const state = useSignal<'loading' | 'ok' | 'error'>('loading');
  const attempt = useSignal(0);
  if (!url) return <div class="thumb" />;
  const retry = () => {
    attempt.value += 1;
    state.value = 'loading';
  };
  const src = attempt.value > 0 ? `${url}&retry=${attempt.value}` : url;
  return (
    <div class={`thumb ${state.value}`}>
      {state.value !== 'error' && (
        <img
          src={src}
          alt={alt}
          loading="lazy"
          decoding="async"
          draggable={false}
          onLoad={() => {
            state.value = 'ok';
          }}
          onError={() => {
            state.value = 'error';
            if (attempt.value < 3) setTimeout(retry, 1_500 * 2 ** attempt.value);
          }}
        />
      )}
      {state.value === 'error' && (
        <button
          type="button"
          class="retry"
          title="Thumbnail failed to load — retry"
          onClick={(e) => {
            e.stopPropagation();
            retry();
          }}
        >
          ↻ retry
        </button>
      )}
    </div>
  );
}
