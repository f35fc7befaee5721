/**
 * What the soak's clients saw, kept for the final checks: every acknowledged write (with the
 * labels its answer promised), every idempotency key sent, every 5xx answer, the windows in
 * which faults were injected on purpose, and the violations found on the way.
 */
import type { Labels } from '@lenslet/core';

/** The labels a client is shown: what it compares (no timestamps, no per-field versions). */
export type LabelsSeen = Pick<Labels, 'star' | 'tags' | 'notes' | 'metrics' | 'version'>;

/** A 2xx answer that says a record was written (`accepted_event` / bulk `applied`). */
export type Ack = {
  readonly key: string;
  readonly path: string;
  readonly seq: number;
  readonly labels: LabelsSeen;
  readonly who: string;
  /** ms since the start of the run. */
  readonly at: number;
  /** The answer came from a retry of an earlier attempt with the same key. */
  readonly after_retry: boolean;
};

export type ServerErrorSeen = {
  readonly at: number;
  readonly status: number;
  readonly code: string;
  readonly what: string;
};

/** A span of the run in which some trouble was caused on purpose. */
export type Window = { readonly kind: string; readonly from: number; to: number | null };

export const MAX_VIOLATIONS_SHOWN = 40;

export class Ledger {
  readonly acks: Ack[] = [];
  /** Every idempotency key sent → the one request (method, url, body) it names. */
  readonly keys = new Map<string, string>();
  /** Keys whose write was never acknowledged (the run ended while it was being retried). */
  readonly unresolved = new Set<string>();
  readonly serverErrors: ServerErrorSeen[] = [];
  readonly windows: Window[] = [];
  readonly violations: string[] = [];
  readonly counters = new Map<string, number>();
  /** seq → what the first listener that received it saw (`mutation_id path version`). */
  readonly streamed = new Map<number, string>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  now(): number {
    return this.#clock();
  }

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  violation(message: string): void {
    this.violations.push(`[${(this.now() / 1000).toFixed(1)} s] ${message}`);
  }

  /** Remember the request a key names; a key must never name two different requests. */
  useKey(key: string, request: string): void {
    const before = this.keys.get(key);
    if (before !== undefined && before !== request) {
      this.violation(`soak bug: idempotency key ${key} reused for a different request`);
    }
    this.keys.set(key, request);
  }

  open(kind: string): Window {
    const window: Window = { kind, from: this.now(), to: null };
    this.windows.push(window);
    return window;
  }

  close(window: Window): void {
    window.to = this.now();
  }

  /** Does [from, to] meet a window of `kind` (extended by `graceMs` after it closed)? */
  overlaps(kind: string, from: number, to: number, graceMs: number): boolean {
    return this.windows.some(
      (w) =>
        w.kind === kind && from <= (w.to ?? Number.POSITIVE_INFINITY) + graceMs && to >= w.from,
    );
  }

  /** Was `at` inside a window of `kind` (extended by `graceMs` after it closed)? */
  within(kind: string, at: number, graceMs: number): boolean {
    return this.windows.some(
      (w) => w.kind === kind && at >= w.from && at <= (w.to ?? Number.POSITIVE_INFINITY) + graceMs,
    );
  }
}
