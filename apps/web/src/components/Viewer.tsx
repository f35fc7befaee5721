/**
 * Full-window viewer: the original file, fit to the window (F or double-click toggles 100%),
 * wheel zoom around the cursor, drag to pan, ←/→ (A/D) through the listing, neighbours preloaded.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from './context.ts';
import { Stars } from './Stars.tsx';

export const fileUrl = (path: string) =>
  `/file?path=${encodeURIComponent(path).replaceAll('%2F', '/')}`;

export function Viewer() {
  const app = useApp();
  const path = app.selection.focus.value;
  const box = useRef<HTMLDivElement>(null);
  const zoom = useSignal<{ s: number; x: number; y: number } | null>(null);
  const natural = useSignal<{ w: number; h: number } | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    zoom.value = null;
    natural.value = null;
    const i = path ? app.listing.indexOf(path) : -1;
    const keep: HTMLImageElement[] = [];
    for (const d of [1, -1, 2]) {
      const p = app.listing.at(i + d);
      if (p) {
        const img = new Image();
        img.src = fileUrl(p);
        keep.push(img);
      }
    }
    return () => {
      for (const img of keep) img.src = '';
    };
  }, [path]);

  const fitRequests = app.ui.fitToggle.value;
  const seenFit = useRef(fitRequests);
  const toggleRef = useRef<() => void>(() => {});
  useEffect(() => {
    if (fitRequests === seenFit.current) return;
    seenFit.current = fitRequests;
    toggleRef.current();
  }, [fitRequests]);

  if (!path) return null;
  const entry = app.items.get(path);
  const labels = app.shown(path);
  const meta = entry?.meta.value;

  const fitScale = () => {
    const el = box.current;
    const n = natural.value;
    if (!el || !n) return 1;
    return Math.min(1, el.clientWidth / n.w, el.clientHeight / n.h);
  };
  const toggle = (cx?: number, cy?: number) => {
    const el = box.current;
    if (!el || !natural.value) return;
    // Any zoom (100% or the wheel's) goes back to fit; fit goes to 100% around the point.
    if (zoom.value) {
      zoom.value = null;
      return;
    }
    const px = cx ?? el.clientWidth / 2;
    const py = cy ?? el.clientHeight / 2;
    const cur = current();
    // Keep the point under the cursor fixed while going to 100%.
    zoom.value = { s: 1, x: px - (px - cur.x) / cur.s, y: py - (py - cur.y) / cur.s };
  };
  toggleRef.current = () => toggle();
  const current = () => {
    const el = box.current!;
    const n = natural.value ?? { w: 1, h: 1 };
    if (zoom.value) return zoom.value;
    const s = fitScale();
    return { s, x: (el.clientWidth - n.w * s) / 2, y: (el.clientHeight - n.h * s) / 2 };
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    if (!natural.value) return;
    const el = box.current!;
    const rect = el.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const cur = current();
    const s = Math.min(16, Math.max(0.05, cur.s * Math.exp(-e.deltaY * 0.0015)));
    zoom.value = { s, x: px - ((px - cur.x) * s) / cur.s, y: py - ((py - cur.y) * s) / cur.s };
  };

  const t = natural.value && box.current ? current() : null;
  const imgStyle = t
    ? {
        transform: `translate(${t.x}px,${t.y}px) scale(${t.s})`,
        width: `${natural.value!.w}px`,
        height: `${natural.value!.h}px`,
      }
    : { opacity: 0 };
  const pct = t ? Math.round(t.s * 100) : null;

  return (
    <div class="viewer" role="dialog" aria-label="Image viewer">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: pointer zoom/pan; F and the bar's buttons do the same by keyboard */}
      <div
        class="viewer-stage"
        ref={box}
        onWheel={onWheel}
        onDblClick={(e) => toggle(e.offsetX, e.offsetY)}
        onPointerDown={(e) => {
          const el = e.currentTarget as HTMLElement;
          el.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY };
          if (!zoom.value && natural.value) zoom.value = current();
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d || !zoom.value) return;
          zoom.value = {
            ...zoom.value,
            x: zoom.value.x + e.clientX - d.x,
            y: zoom.value.y + e.clientY - d.y,
          };
          drag.current = { x: e.clientX, y: e.clientY };
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
      >
        <img
          key={path}
          class="viewer-img"
          src={fileUrl(path)}
          alt={meta?.name ?? ''}
          draggable={false}
          style={imgStyle}
          onLoad={(e) => {
            const img = e.currentTarget as HTMLImageElement;
            natural.value = { w: img.naturalWidth, h: img.naturalHeight };
          }}
        />
        {!natural.value && <div class="viewer-loading">Loading…</div>}
      </div>
      <div class="viewer-bar">
        <span class="name">{meta?.name ?? path}</span>
        {meta?.width ? (
          <span class="dim">
            {meta.width}×{meta.height}
          </span>
        ) : null}
        {labels && <Stars star={labels.star} />}
        {labels && labels.tags.length > 0 && <span class="tags">{labels.tags.join(' · ')}</span>}
        <span class="spacer" />
        {pct !== null && <span class="dim">{pct}%</span>}
        <button type="button" onClick={() => toggle()} title="Fit / 100% (F)">
          {zoom.value ? 'Fit' : '100%'}
        </button>
        <button type="button" onClick={() => app.selection.move(-1)} title="Previous (← or A)">
          ‹
        </button>
        <button type="button" onClick={() => app.selection.move(1)} title="Next (→ or D)">
          ›
        </button>
        <button type="button" onClick={() => app.ui.setOpen('viewer', false)} title="Close (Esc)">
          ✕
        </button>
      </div>
    </div>
  );
}
