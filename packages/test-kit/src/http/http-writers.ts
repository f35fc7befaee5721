/**
 * Writers for failure tests through real HTTP: each loops `PATCH /item` (`add_tags` of a tag
 * unique to the request) with its own Idempotency-Key, and retries a request that was not
 * acknowledged (any non-2xx, a reset or refused connection) with the same key and body until it
 * is — as the web client does. Every acknowledgement (key, seq, replica) and every failure
 * (status or error code, how long the writer waited) is kept for the final checks.
 */
import { sleep } from '../wait.ts';

export type HttpAck = {
  readonly key: string;
  readonly path: string;
  readonly tag: string;
  readonly seq: number;
  readonly replica: string | null;
  readonly at: number;
};

export type HttpFailure = {
  /** HTTP status, or the network error's code (ECONNRESET, …). */
  readonly status: number | string;
  /** The answer's `error` code, when it had one. */
  readonly error: string | null;
  /** The start of the answer, or the error's message (what a failure without a code was). */
  readonly detail: string;
  readonly ms: number;
  readonly at: number;
};

export type HttpWriters = {
  readonly acks: HttpAck[];
  readonly failures: HttpFailure[];
  stop(): Promise<void>;
};

export type HttpWritersOptions = {
  readonly url: string;
  readonly writers: number;
  /** Makes keys and tags unique to this run. */
  readonly tag: string;
  /** Image paths to write to (they must exist in the served gallery). */
  readonly paths: readonly string[];
  readonly retryDelayMs?: number;
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function startHttpWriters(options: HttpWritersOptions): HttpWriters {
  const acks: HttpAck[] = [];
  const failures: HttpFailure[] = [];
  let running = true;
  const writer = async (id: number) => {
    for (let n = 0; running; n++) {
      const key = `${options.tag}-w${id}-${n}`;
      const tag = `${options.tag}-${id}-${n}`;
      const path = options.paths[(id * 7 + n) % options.paths.length]!;
      const body = JSON.stringify({ add_tags: [tag] });
      for (;;) {
        const started = Date.now();
        try {
          const res = await fetch(`${options.url}/item?path=${encodeURIComponent(path)}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body,
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          const answer = parseJson(text) as {
            error?: string;
            accepted_event?: { seq: number } | null;
          } | null;
          if (res.ok && answer?.accepted_event) {
            const replica = res.headers.get('x-lenslet-replica');
            acks.push({ key, path, tag, seq: answer.accepted_event.seq, replica, at: Date.now() });
            break;
          }
          failures.push({
            status: res.status,
            error: answer?.error ?? null,
            detail: text.slice(0, 120),
            ms: Date.now() - started,
            at: Date.now(),
          });
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          failures.push({
            status: cause?.code ?? (error as Error).name,
            error: null,
            detail: `${(error as Error).message} ${(cause as { message?: string })?.message ?? ''}`,
            ms: Date.now() - started,
            at: Date.now(),
          });
        }
        if (!running) return;
        await sleep(options.retryDelayMs ?? 50);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.writers }, (_, id) => writer(id)));
  return {
    acks,
    failures,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
