/**
 * One end of a histogram's brush: a slider for the keyboard (← → one bin, PageUp/PageDown five,
 * Home/End to the ends, Esc or Delete clears) that can also be dragged (the drag itself is the
 * histogram's: `onDragStart` gets the pointer event).
 */
import type { Range } from '../api.ts';
import { formatValue } from '../format.ts';
import { type BinGrid, stepEdge } from '../models/brush.ts';

const KEY_STEPS: Record<string, number> = {
  ArrowLeft: -1,
  ArrowDown: -1,
  ArrowRight: 1,
  ArrowUp: 1,
  PageDown: -5,
  PageUp: 5,
  Home: -1000,
  End: 1000,
};

export function BrushHandle(props: {
  end: 'min' | 'max';
  label: string;
  g: BinGrid;
  /** Where the handle sits on the plot, 0..1. */
  at: number;
  /** The value it stands for (shown to screen readers). */
  value: number;
  /** The committed brush, if any (keyboard steps start from it). */
  own: Range | undefined;
  commit: (r: Range | null) => void;
  onDragStart: (e: PointerEvent) => void;
}) {
  const { end, g } = props;
  return (
    <span
      class={`handle ${end}`}
      role="slider"
      tabIndex={0}
      aria-label={`${props.label}: ${end === 'min' ? 'from' : 'to'}`}
      aria-valuemin={g.min}
      aria-valuemax={g.max}
      aria-valuenow={props.value}
      aria-valuetext={formatValue(props.value)}
      style={{ left: `${props.at * 100}%` }}
      onPointerDown={props.onDragStart}
      onKeyDown={(e) => {
        const step = KEY_STEPS[e.key];
        if (step === undefined && !['Escape', 'Delete', 'Backspace'].includes(e.key)) return;
        e.preventDefault();
        e.stopPropagation();
        props.commit(step === undefined ? null : stepEdge(g, props.own ?? {}, end, step));
      }}
    />
  );
}
