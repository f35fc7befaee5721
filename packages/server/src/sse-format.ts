/**
 * Server-Sent Events framing (the WHATWG `text/event-stream` format), pure.
 *
 * Invariants: a frame is `event:` (optional) + `id:` (optional) + one `data:` line per line of
 * the payload, closed by a blank line. Only label records carry an `id` (their `seq`), so a
 * browser's `Last-Event-ID` is always a log position; events that are not in the log (hello,
 * presence, persistence, folder-updated, views-updated, resync-required) never carry one.
 * A comment line (`: text`) is ignored by clients and keeps proxies from closing idle streams.
 */

export type SseFrame = {
  /** Event name; absent means the default `message` event. */
  readonly event?: string;
  /** Resume position; only label records carry one. */
  readonly id?: number;
  /** Payload text (usually compact JSON); may span lines. */
  readonly data: string;
  /** Reconnection delay the browser should use, in ms. */
  readonly retry?: number;
};

const FIELD_BREAK = /[\r\n]/;

/** formatSse({event: 'hello', data: '{"seq":3}'}) => 'event: hello\ndata: {"seq":3}\n\n' */
export function formatSse(frame: SseFrame): string {
  let out = '';
  if (frame.event !== undefined) {
    if (frame.event === '' || FIELD_BREAK.test(frame.event)) {
      throw new Error(`SSE event name must be one non-empty line: ${JSON.stringify(frame.event)}`);
    }
    out += `event: ${frame.event}\n`;
  }
  if (frame.id !== undefined) {
    if (!Number.isSafeInteger(frame.id) || frame.id < 0) {
      throw new Error(`SSE id must be a non-negative integer: ${frame.id}`);
    }
    out += `id: ${frame.id}\n`;
  }
  if (frame.retry !== undefined) out += `retry: ${Math.max(0, Math.trunc(frame.retry))}\n`;
  // One line (always so for JSON): no split, no array.
  if (!FIELD_BREAK.test(frame.data)) out += `data: ${frame.data}\n`;
  else for (const line of frame.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** An event whose payload is JSON: formatJsonEvent('presence', {…}) => 'event: presence\ndata: {…}\n\n' */
export function formatJsonEvent(event: string, data: unknown, id?: number, retry?: number): string {
  return formatSse({
    event,
    data: JSON.stringify(data),
    ...(id === undefined ? {} : { id }),
    ...(retry === undefined ? {} : { retry }),
  });
}

/** A comment line: formatComment('keepalive') => ': keepalive\n\n' */
export function formatComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}`)
    .join('\n')}\n\n`;
}
