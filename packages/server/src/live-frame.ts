/**
 * A live event as SSE text, typed by core's table (`LIVE_EVENTS`): every frame the hub writes goes
 * through here, so its data has the protocol's shape for its name and the browser parses it with
 * the same schema. Only records (`item-updated`, `metrics-updated`) carry an `id`, their seq.
 */
import type { DeepReadonly, LiveEvent, LiveEventName } from '@lenslet/core';
import { formatJsonEvent } from './sse-format.ts';

export type FrameOptions = {
  /** The record's seq (records only). */
  readonly id?: number;
  /** Reconnection delay suggested to the browser (`hello` only), ms. */
  readonly retry?: number;
};

/** liveFrame('presence', {gallery_id: '/', viewing: 1, editing: 0}) => 'event: presence\ndata: {…}\n\n' */
export function liveFrame<E extends LiveEventName>(
  event: E,
  data: DeepReadonly<LiveEvent<E>>,
  options: FrameOptions = {},
): string {
  return formatJsonEvent(event, data, options.id, options.retry);
}
