/**
 * A simulated labeler: a loop of realistic label writes against the real server, behaving as a
 * careful client must.
 *
 * - Every logical write has its own Idempotency-Key. After a timeout, a dropped connection (the
 *   server was killed) or a 503 (the disk failed), the *same* request is sent again with the same
 *   key until it is acknowledged; the server must then apply it at most once.
 * - A 409 means nothing was applied: the labeler re-reads (the answer's `current`) and re-applies
 *   its intent on top, as a new request with a new key.
 * - Writes mix single PATCHes (tags, star and notes with `base_version`), metrics PUTs and bulk
 *   `POST /items/patch` calls, with a little think time between them.
 * Every 2xx that says a record was written goes into the ledger with the labels it promised.
 */
import { sleep } from '@lenslet/test-kit';
import { type Answer, isRetryable, sendAsClient } from './client-request.ts';
import type { Ack, LabelsSeen, Ledger } from './ledger.ts';
import type { Rng } from './rng.ts';

export const TAG_VOCABULARY = [
  'keep',
  'reject',
  'blurry',
  'sharp',
  'cat',
  'dog',
  'sky',
  'café',
  'очень',
  '猫',
  'golden hour',
  '🌅',
];

const MAX_REAPPLIES = 4;

type Sidecar = LabelsSeen & { readonly path: string; readonly seq: number };

type Write = {
  readonly key: string;
  readonly method: 'PATCH' | 'PUT' | 'POST';
  readonly route: string;
  readonly body: unknown;
  /** Re-apply the intent on fresh labels after a 409 (null: give up, nothing applied). */
  readonly onConflict: ((current: Sidecar) => Omit<Write, 'key'> | null) | null;
};

export type LabelerOptions = {
  readonly id: number;
  readonly url: string;
  readonly paths: readonly string[];
  readonly rng: Rng;
  readonly ledger: Ledger;
  /** Longest pause between two writes, ms. */
  readonly think_ms: number;
};

export class Labeler {
  readonly name: string;
  readonly #o: LabelerOptions;
  #counter = 0;
  #stopping = false;
  /** Stop retrying unacknowledged writes after this time (ms of the run clock). */
  #giveUpAt = Number.POSITIVE_INFINITY;
  readonly #known = new Map<string, Sidecar>();
  #done: Promise<void> | null = null;

  constructor(options: LabelerOptions) {
    this.#o = options;
    this.name = `soak-L${String(options.id).padStart(2, '0')}`;
  }

  start(): void {
    this.#done = this.#loop();
  }

  /** Start no new write; keep retrying the current one for at most `drainMs`. */
  async stop(drainMs: number): Promise<void> {
    this.#stopping = true;
    this.#giveUpAt = this.#o.ledger.now() + drainMs;
    await this.#done;
  }

  async #loop(): Promise<void> {
    const { rng } = this.#o;
    while (!this.#stopping) {
      await sleep(rng.int(0, this.#o.think_ms));
      if (this.#stopping) break;
      const roll = rng.next();
      const path = rng.pick(this.#o.paths);
      if (roll < 0.3) await this.#run(this.#tagWrite(path));
      else if (roll < 0.5) await this.#run(await this.#starWrite(path));
      else if (roll < 0.6) await this.#run(await this.#notesWrite(path));
      else if (roll < 0.7) await this.#run(this.#metricsWrite(path));
      else if (roll < 0.85) await this.#run(await this.#bulkWrite());
      else await this.#read(path);
    }
  }

  #key(): string {
    this.#counter += 1;
    return `${this.name}-${String(this.#counter).padStart(6, '0')}`;
  }

  #tagWrite(path: string): Write {
    const { rng } = this.#o;
    const tag = rng.pick(TAG_VOCABULARY);
    const body = rng.chance(0.65) ? { add_tags: [tag] } : { remove_tags: [tag] };
    return { key: this.#key(), method: 'PATCH', route: itemRoute(path), body, onConflict: null };
  }

  async #starWrite(path: string): Promise<Write> {
    const known = await this.#labels(path);
    const star = this.#o.rng.pick([null, 0, 1, 2, 3, 4, 5]);
    const make = (version: number): Omit<Write, 'key'> => ({
      method: 'PATCH',
      route: itemRoute(path),
      body: { base_version: version, set_star: star },
      onConflict: (current) => make(current.version),
    });
    return { key: this.#key(), ...make(known?.version ?? 1) };
  }

  async #notesWrite(path: string): Promise<Write> {
    const known = await this.#labels(path);
    const notes = this.#o.rng.chance(0.2)
      ? ''
      : `${this.name} note ${this.#counter} — נקודה ✓ ${'x'.repeat(this.#o.rng.int(0, 200))}`;
    const make = (version: number): Omit<Write, 'key'> => ({
      method: 'PATCH',
      route: itemRoute(path),
      body: { base_version: version, set_notes: notes },
      onConflict: (current) => make(current.version),
    });
    return { key: this.#key(), ...make(known?.version ?? 1) };
  }

  #metricsWrite(path: string): Write {
    const value = Math.round(this.#o.rng.next() * 1e6) / 1e6;
    const metrics = this.#o.rng.chance(0.1) ? { score: null } : { score: value, [this.name]: 1 };
    return {
      key: this.#key(),
      method: 'PUT',
      route: `/item/metrics?path=${encodeURIComponent(path)}`,
      body: { metrics },
      onConflict: null,
    };
  }

  async #bulkWrite(): Promise<Write> {
    const { rng } = this.#o;
    const chosen = new Set<string>();
    const size = rng.int(2, 10);
    while (chosen.size < size) chosen.add(rng.pick(this.#o.paths));
    const withVersions = rng.chance(0.3);
    const items = [...chosen].map((path) => {
      const version = this.#known.get(path)?.version;
      return withVersions && version !== undefined ? { path, base_version: version } : { path };
    });
    const tag = rng.pick(TAG_VOCABULARY);
    const patch = rng.chance(0.5)
      ? { add_tags: [tag, 'bulk'] }
      : rng.chance(0.5)
        ? { remove_tags: [tag] }
        : { set_star: rng.int(0, 5) };
    return {
      key: this.#key(),
      method: 'POST',
      route: '/items/patch',
      body: { items, patch },
      onConflict: null,
    };
  }

  async #labels(path: string): Promise<Sidecar | undefined> {
    if (!this.#known.has(path) || this.#o.rng.chance(0.3)) await this.#read(path);
    return this.#known.get(path);
  }

  async #read(path: string): Promise<void> {
    const answer = await this.#send('GET', itemRoute(path), undefined, null);
    if (answer.kind === 'http' && answer.status === 200) {
      this.#known.set(path, answer.body as unknown as Sidecar);
    } else if (answer.kind === 'http') {
      this.#unexpected('GET', itemRoute(path), answer);
    }
  }

  /** Send one logical write until it is acknowledged, refused for good, or the run ends. */
  async #run(first: Write): Promise<void> {
    const { ledger, rng } = this.#o;
    let write = first;
    let reapplies = 0;
    let attempts = 0;
    for (;;) {
      ledger.useKey(
        write.key,
        `${write.method} ${write.route} ${JSON.stringify(write.body)} as ${this.name}`,
      );
      attempts += 1;
      const answer = await this.#send(write.method, write.route, write.body, write.key);
      if (answer.kind === 'http' && answer.status === 200) {
        this.#acknowledged(write, answer.body, attempts > 1);
        return;
      }
      if (answer.kind === 'http' && answer.status === 409) {
        ledger.count('conflicts (409, re-read and re-applied)');
        const current = answer.body.current as Sidecar | undefined;
        if (current === undefined) {
          this.#unexpected(write.method, write.route, answer);
          return;
        }
        this.#known.set(current.path, current);
        const again = write.onConflict?.(current) ?? null;
        if (again === null || reapplies >= MAX_REAPPLIES) return;
        reapplies += 1;
        attempts = 0;
        write = { key: this.#key(), ...again };
        continue;
      }
      if (answer.kind === 'http' && !isRetryable(answer)) {
        this.#unexpected(write.method, write.route, answer);
        return;
      }
      // Lost or 503: not acknowledged, maybe applied. Same key, same request, after a pause.
      ledger.count(answer.kind === 'lost' ? 'retries after a lost answer' : 'retries after a 503');
      if (ledger.now() > this.#giveUpAt) {
        ledger.unresolved.add(write.key);
        return;
      }
      await sleep(Math.min(2_000, 50 * 2 ** Math.min(attempts, 6)) * (0.5 + rng.next()));
    }
  }

  #acknowledged(write: Write, body: Record<string, unknown>, afterRetry: boolean): void {
    const { ledger } = this.#o;
    ledger.count('writes acknowledged');
    const ack = (path: string, sidecar: Sidecar): Ack => ({
      key: write.key,
      path,
      seq: sidecar.seq,
      labels: pickLabels(sidecar),
      who: this.name,
      at: ledger.now(),
      after_retry: afterRetry,
    });
    if (write.route === '/items/patch') {
      const results = body.results as { path: string; status: string; sidecar?: Sidecar }[];
      for (const result of results) {
        if (result.status === 'applied' && result.sidecar) {
          ledger.acks.push(ack(result.path, result.sidecar));
          this.#known.set(result.path, result.sidecar);
        } else if (result.status === 'failed') {
          ledger.violation(
            `${this.name}: bulk item ${result.path} failed: ${JSON.stringify(result)}`,
          );
        } else {
          ledger.count(`bulk items ${result.status}`);
        }
      }
      return;
    }
    const sidecar = body.sidecar as Sidecar;
    this.#known.set(sidecar.path, sidecar);
    if (body.accepted_event === null) {
      ledger.count('no-op writes (nothing recorded)');
      return;
    }
    const seq = (body.accepted_event as { seq: number }).seq;
    if (seq !== sidecar.seq) {
      ledger.violation(`${write.key}: accepted_event.seq ${seq} ≠ sidecar.seq ${sidecar.seq}`);
    }
    ledger.acks.push(ack(sidecar.path, sidecar));
  }

  #unexpected(method: string, route: string, answer: Answer): void {
    if (answer.kind !== 'http') return;
    if (answer.status >= 500) return; // classified with every other 5xx at the end
    this.#o.ledger.violation(
      `${this.name}: ${method} ${route} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  }

  #send(method: string, route: string, body: unknown, key: string | null): Promise<Answer> {
    const { ledger, url } = this.#o;
    return sendAsClient(ledger, { url, user: this.name, method, route, body, key });
  }
}

function itemRoute(path: string): string {
  return `/item?path=${encodeURIComponent(path)}`;
}

export function pickLabels(s: LabelsSeen): LabelsSeen {
  return { star: s.star, tags: s.tags, notes: s.notes, metrics: s.metrics, version: s.version };
}
