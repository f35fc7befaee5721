/**
 * Replaying the recording on one server, pair by pair in recording order, and comparing each of
 * Lenslet's answers with the original's. State carries from pair to pair as it did when the
 * original was recorded: a lease learned from a join is sent in the heartbeat, writes precede
 * the star-filter queries, one `/events` listener hears the whole run.
 */
import { type CompareContext, compare, type Mismatch, type Rule } from './compare.ts';
import { type PairSpec, relationHolds, specFor } from './expectations.ts';
import { compareFrames } from './frames.ts';
import { type Answer, type Listener, type LiveFrame, listen, send } from './http.ts';
import { ERROR_READS, EXPLAINS, errorText, READS, routeOf } from './reads.ts';
import { type Pair, RECORDED_ORIGINS } from './recordings.ts';
import type { TargetServer } from './servers.ts';

/** Answer fields whose recorded value is replaced by Lenslet's in later requests. */
const LEARNED_FIELDS = ['lease_id'];

const mediaType = (v: unknown) =>
  String(v ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

export class Replay {
  readonly #server: TargetServer;
  readonly #learned = new Map<string, string>();
  readonly #answers = new Map<string, unknown>();
  readonly #replayedKeys = new Set<string>();
  #listener: Listener | null = null;

  constructor(server: TargetServer) {
    this.#server = server;
    this.#learned.set(RECORDED_ORIGINS.table, server.url);
    this.#learned.set(RECORDED_ORIGINS.folder, server.url);
  }

  /** Start hearing `/events` before anything is written, as the recorder did. */
  start(): void {
    this.#listener = listen(this.#server.port);
  }

  stop(): void {
    this.#listener?.close();
  }

  /** Replay one pair; every difference from the recording that the client would notice. */
  async run(pair: Pair): Promise<Mismatch[]> {
    const spec = specFor(pair);
    const context: CompareContext = {
      portable: this.#server.target !== 'table' && pair.mode === 'table',
      trimmed: Object.fromEntries(
        Object.entries(pair.trimmed ?? {})
          .filter(([, n]) => typeof n === 'number')
          .map(([k, n]) => [`body.${k}`, n]),
      ),
    };
    if (pair.group === 'events') return this.#runEvents(pair, spec, context);
    const headers = this.#substitute(pair.request.headers ?? {}) as Record<string, string>;
    const key = headers['Idempotency-Key'];
    if (key) this.#replayedKeys.add(key);
    if (pair.request.method === 'PUT' && pair.request.path.startsWith('/item?')) {
      this.#replayedKeys.add('put:');
    }
    const answer = await send(
      this.#server.port,
      pair.request.method,
      spec.sendTo ?? pair.request.path,
      headers,
      this.#substitute(pair.request.body),
    );
    this.#answers.set(pair.title, answer.json);
    this.#learn(pair.response?.body, answer.json);
    return this.#compareAnswer(pair, spec, answer, context);
  }

  #compareAnswer(pair: Pair, spec: PairSpec, answer: Answer, context: CompareContext): Mismatch[] {
    const recorded = pair.response!;
    const statusOk =
      recorded.status === 422
        ? answer.status >= 400 && answer.status < 500
        : answer.status === recorded.status;
    if (!statusOk) {
      return [{ at: 'status', problem: 'value', expected: recorded.status, actual: answer.status }];
    }
    const out: Mismatch[] = [];
    const recordedType = recorded.headers['content-type'];
    if (
      recordedType !== undefined &&
      mediaType(recordedType) !== mediaType(answer.headers['content-type'])
    ) {
      out.push({
        at: 'headers.content-type',
        problem: 'media type',
        expected: recordedType,
        actual: answer.headers['content-type'],
      });
    }
    for (const [name, rule] of Object.entries(spec.headers ?? {})) {
      if (name === 'content-type') continue;
      out.push(
        ...compare(rule, answer.headers[name], recorded.headers[name], `headers.${name}`, context),
      );
    }
    const route = routeOf(pair.request.method, pair.request.path);
    const bodyRule: Rule | undefined =
      recorded.status < 400
        ? (spec.body ?? READS[route]?.body)
        : (ERROR_READS[`${route} ${recorded.status}`] ?? EXPLAINS);
    if (bodyRule && typeof recorded.body !== 'string') {
      out.push(...compare(bodyRule, answer.json, recorded.body, 'body', context));
    }
    if (
      spec.mentions &&
      recorded.status >= 400 &&
      !spec.mentions.test(errorText(answer.json) ?? '')
    ) {
      out.push({
        at: 'body.message',
        problem: `names ${spec.mentions}`,
        actual: errorText(answer.json),
      });
    }
    if (spec.relation) {
      const earlier = this.#answers.get(spec.relation.title);
      if (!relationHolds(spec.relation, answer.json, earlier)) {
        out.push({
          at: `body${spec.relation.field ? `.${spec.relation.field}` : ''}`,
          problem: `${spec.relation.same ? 'same as' : 'differs from'} "${spec.relation.title}"`,
        });
      }
    }
    return out;
  }

  async #runEvents(pair: Pair, spec: PairSpec, context: CompareContext): Promise<Mismatch[]> {
    if (!pair.frames) {
      // The response head of the stream opened at the start.
      const head = await this.#listener!.head();
      const recorded = pair.response!;
      const out: Mismatch[] = [];
      if (head.status !== recorded.status) {
        out.push({
          at: 'status',
          problem: 'value',
          expected: recorded.status,
          actual: head.status,
        });
      }
      for (const [name, rule] of Object.entries(spec.headers ?? {})) {
        const actual = name === 'content-type' ? mediaType(head.headers[name]) : head.headers[name];
        const expected =
          name === 'content-type' ? mediaType(recorded.headers[name]) : recorded.headers[name];
        out.push(...compare(rule, actual, expected, `headers.${name}`, context));
      }
      return out;
    }
    let frames: readonly LiveFrame[];
    if (pair.request.headers?.['Last-Event-ID']) {
      const replay = listen(this.#server.port, pair.request.headers);
      await new Promise((r) => setTimeout(r, 800));
      replay.close();
      frames = replay.frames;
    } else {
      await new Promise((r) => setTimeout(r, 500)); // coalesced presence frames
      frames = this.#listener!.frames;
    }
    return compareFrames(frames, pair.frames, spec.frames ?? [], context, this.#replayedKeys);
  }

  #substitute(value: unknown): unknown {
    if (typeof value === 'string') {
      let out = value;
      for (const [recorded, actual] of this.#learned) out = out.split(recorded).join(actual);
      return out;
    }
    if (Array.isArray(value)) return value.map((v) => this.#substitute(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#substitute(v)]));
    }
    return value;
  }

  #learn(recorded: unknown, actual: unknown): void {
    if (!recorded || typeof recorded !== 'object' || !actual || typeof actual !== 'object') return;
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const field of LEARNED_FIELDS) {
      if (typeof r[field] === 'string' && typeof a[field] === 'string' && r[field] !== '') {
        this.#learned.set(r[field] as string, a[field] as string);
      }
    }
  }
}
