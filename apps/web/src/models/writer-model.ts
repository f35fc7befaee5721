/**
 * The writer: every label edit goes through here, into the durable outbox, then to the server.
 *
 * Rules (issue 5):
 * - One pending entry per item: a new edit merges into the item's unsent entry under a new key
 *   (`mergePatch`); an entry already sent is never changed — the edit waits in a new entry.
 * - At most one write per item in flight per tab; the next one is sent on top of the version the
 *   previous answer returned. Which entries go out, and how grouped: `planSends` (send-plan.ts).
 * - What a failed answer means (retry, conflict, failed, token needed): write-outcome.ts.
 * - Entries bound to another gallery's log are never sent here; they are offered as a download.
 * - Edits on several items at once share one key and go out as one POST /items/patch.
 * Owns two timers (the next retry, the 30 s adoption round), cleared by `dispose()`.
 */
import type { CanonicalPath, Patch, Sidecar } from '@lenslet/core';
import { assertNever } from '@lenslet/core';
import { batch } from '@preact/signals';
import type { Api } from '../api.ts';
import type { OutboxEntry, OutboxStore } from '../outbox.ts';
import { backoffDelay } from '../stream.ts';
import { type Ack, createAcks } from './acks.ts';
import type { Report } from './errors-model.ts';
import type { ItemStore } from './items-model.ts';
import { isEmptyPatch, mergePatch } from './merge-patch.ts';
import { createOutboxModel } from './outbox-model.ts';
import { planSends } from './send-plan.ts';
import { classifyBulkResult, classifyFailure, type WriteOutcome } from './write-outcome.ts';
import { createWriterViews } from './writer-views.ts';

/** Most write requests this tab has open at once (the live stream needs a connection too). */
export const MAX_REQUESTS_IN_FLIGHT = 4;
/** Most items in one bulk request (the server's limit is 10,000). */
export const MAX_BULK_ITEMS = 2_000;
/** How often entries of closed tabs are looked for. */
export const ADOPT_INTERVAL_MS = 30_000;
export type { Ack } from './acks.ts';

export type WriterDeps = {
  readonly api: Pick<Api, 'patch' | 'bulk'>;
  readonly store: OutboxStore;
  readonly items: ItemStore;
  readonly clientId: string;
  /** The connected server's log, null until the first `hello`. */
  readonly logId: () => string | null;
  readonly newKey: () => string;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Is the tab that owns an entry still open? (Web Locks); entries of closed tabs are adopted. */
  readonly ownerAlive?: (owner: string) => Promise<boolean>;
  /** Called when the server needs a token (401). */
  readonly onUnauthorized?: () => void;
  /** Where outbox storage failures go. */
  readonly report: Report;
};

export type Writer = ReturnType<typeof createWriter>;

export function createWriter(deps: WriterDeps) {
  const now = deps.now ?? Date.now;
  const { report } = deps;
  const outbox = createOutboxModel(deps.store, report);
  const views = createWriterViews(outbox.entries, deps.clientId, deps.logId);
  const retryAt = new Map<string, number>();
  const inflight = new Set<CanonicalPath>();
  let requests = 0;
  const sentKeys = new Set<string>();
  /** Answers of entries that left the outbox (undo asks for them later). */
  const acks = createAcks();
  const settle = acks.settle;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let adoptTimer: ReturnType<typeof setInterval> | null = null;

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      pump();
    }, ms);
  };

  function pump(): void {
    const log = deps.logId();
    if (log === null) return;
    const plan = planSends({
      entries: outbox.entries.peek().values(),
      sendable: (e) => views.mine(e) && e.state === 'pending' && views.current(e),
      inflight,
      retryAt,
      now: now(),
      slots: MAX_REQUESTS_IN_FLIGHT - requests,
      maxBulk: MAX_BULK_ITEMS,
    });
    requests += plan.requests.length;
    for (const group of plan.requests) void send(group, log);
    if (plan.wait !== null) schedule(plan.wait);
  }

  async function send(group: readonly OutboxEntry[], log: string): Promise<void> {
    for (const e of group) inflight.add(e.path);
    try {
      const ready = group.map((e) =>
        e.sent && e.log_id === log ? e : { ...e, sent: true, log_id: log },
      );
      // Durable before the request leaves: a crash after this re-sends the identical request.
      const stored = await Promise.all(
        ready.map((e, i) => (e === group[i] ? outbox.durable(e) : outbox.put(e))),
      );
      if (stored.includes(false)) {
        retry(ready);
        return;
      }
      for (const e of ready) sentKeys.add(e.key);
      const first = ready[0]!;
      try {
        if (!first.bulk) {
          const answer = await deps.api.patch(first.path, first.patch, first.key, first.base);
          succeed(first, answer.sidecar, answer.accepted_event?.seq ?? null);
        } else {
          const answer = await deps.api.bulk(
            ready.map((e) => ({ path: e.path, base_version: e.base })),
            first.patch,
            first.key,
          );
          const results = new Map(answer.results.map((r) => [r.path, r]));
          for (const e of ready) apply([e], classifyBulkResult(results.get(e.path)));
        }
      } catch (error) {
        apply(ready, classifyFailure(error));
      }
    } finally {
      for (const e of group) inflight.delete(e.path);
      requests -= 1;
      pump();
    }
  }

  function apply(group: readonly OutboxEntry[], outcome: WriteOutcome): void {
    switch (outcome.kind) {
      case 'saved':
        for (const e of group) succeed(e, outcome.sidecar, outcome.sidecar.seq);
        return;
      case 'retry':
        retry(group);
        return;
      case 'unauthorized':
        deps.onUnauthorized?.();
        retry(group);
        return;
      case 'conflict':
        for (const e of group) conflict(e, outcome.current, outcome.message);
        return;
      case 'failed':
        for (const e of group) {
          void outbox.put({
            ...e,
            state: 'failed',
            error: { code: outcome.code, message: outcome.message },
          });
          settle(e.id, null);
        }
        return;
      default:
        assertNever(outcome);
    }
  }

  function succeed(e: OutboxEntry, sidecar: Sidecar, seq: number | null) {
    batch(() => {
      deps.items.putSidecar(sidecar);
      void outbox.remove(e.id);
      views.failures.value = 0;
      // The next edit of this item goes on top of the version we just got back.
      const next = views.pendingOf(e.path).find((n) => n.id !== e.id && !n.sent);
      if (next && next.base < sidecar.version) void outbox.put({ ...next, base: sidecar.version });
    });
    settle(e.id, { path: e.path, seq, version: sidecar.version });
  }

  function conflict(e: OutboxEntry, current: Sidecar | undefined, message: string) {
    if (current) deps.items.putSidecar(current);
    void outbox.put({
      ...e,
      state: 'conflict',
      error: { code: 'version_conflict', message },
      ...(current ? { current } : {}),
    });
    settle(e.id, null);
  }

  function retry(group: readonly OutboxEntry[]) {
    views.failures.value += 1;
    const at = now() + backoffDelay(Math.min(views.failures.value, 6), deps.random);
    for (const e of group) retryAt.set(e.id, at);
    schedule(at - now());
  }

  /** (Re)load the outbox, taking over entries whose tab is gone (closed, crashed); send. */
  async function adopt(): Promise<void> {
    await outbox.load(deps.clientId, deps.ownerAlive);
    pump();
  }

  return {
    pending: views.pending,
    conflicts: views.conflicts,
    failed: views.failed,
    foreign: views.foreign,
    status: views.status,
    /** This tab's entries for one item, oldest first (reactive: badges, the inspector). */
    entriesOf: views.entriesOf,
    /** Keys this tab sent: a live update carrying one is our own echo. */
    sentKeys: sentKeys as ReadonlySet<string>,

    /** Load the outbox and start sending. */
    init: adopt,
    adopt,

    /** Look for entries of closed tabs every 30 s from now on. */
    start(): void {
      adoptTimer ??= setInterval(() => {
        adopt().catch((error: unknown) => report('Reading the edits kept in this browser', error));
      }, ADOPT_INTERVAL_MS);
    },

    /**
     * Record an edit on one or more items. Returns one entry id per path (for undo).
     * `base` overrides the version the edit is made on (undo sends the record's version).
     */
    edit(paths: readonly CanonicalPath[], patch: Patch, base?: number): string[] {
      const log = deps.logId();
      const groupKey = paths.length > 1 ? deps.newKey() : null;
      const ids: string[] = [];
      batch(() => {
        for (const path of paths) {
          const last = views.pendingOf(path).at(-1);
          if (last && !last.sent && base === undefined) {
            const merged = mergePatch(last.patch, patch);
            ids.push(last.id);
            if (isEmptyPatch(merged)) {
              void outbox.remove(last.id);
              settle(last.id, null);
            } else {
              void outbox.put({ ...last, patch: merged, key: deps.newKey(), bulk: false });
            }
            continue;
          }
          const id = deps.newKey();
          ids.push(id);
          void outbox.put({
            id,
            log_id: log,
            path,
            key: groupKey ?? id,
            patch,
            base: base ?? deps.items.get(path)?.labels.peek().version ?? 1,
            bulk: groupKey !== null,
            sent: false,
            owner: deps.clientId,
            created_at: now(),
            state: 'pending',
          });
        }
      });
      queueMicrotask(pump);
      return ids;
    },

    /** Resolves when the entry leaves the outbox: its ack, or null (failed, conflict, merged away). */
    settled: (id: string): Promise<Ack | null> =>
      acks.wait(id, outbox.get(id)?.state === 'pending'),

    /** Conflict: re-send mine on top of their version, or keep theirs (drop mine). */
    resolve(id: string, choice: 'mine' | 'theirs'): void {
      const e = outbox.get(id);
      if (e?.state !== 'conflict') return;
      batch(() => {
        void outbox.remove(id);
        if (choice === 'mine') {
          const { error: _error, current, ...rest } = e;
          const fresh = deps.newKey();
          void outbox.put({
            ...rest,
            id: fresh,
            key: fresh,
            base: current?.version ?? deps.items.get(e.path)?.labels.peek().version ?? e.base,
            bulk: false,
            sent: false,
            state: 'pending',
            created_at: now(),
          });
        }
      });
      queueMicrotask(pump);
    },

    /** Drop a failed entry (the user has seen it) or another gallery's entries. */
    dismiss(ids: readonly string[]): void {
      for (const id of ids) void outbox.remove(id);
    },

    /** Retry everything waiting for its backoff now (the "retry" button, `online`). */
    retryNow(): void {
      retryAt.clear();
      pump();
    },

    /** Resume sending (e.g. the log_id became known). */
    pump,

    dispose(): void {
      if (timer) clearTimeout(timer);
      if (adoptTimer) clearInterval(adoptTimer);
      timer = null;
      adoptTimer = null;
    },
  };
}
