/**
 * Where background jobs run: a worker thread (the default for the CLI, so a million-item snapshot
 * never stalls a write) or inline on the main thread with the store's own filesystem port (tests
 * with the crash double; no worker configured).
 */
import { Worker } from 'node:worker_threads';
import { LensletError } from '@lenslet/core';
import { errorCode, type FsPort } from '../port/fs-port.ts';
import { runTask, type TaskKind, type TaskMap } from './tasks.ts';

export type WorkerOption = {
  /** Module that runs `snapshot-worker.ts` (the CLI passes its bundled dist/snapshot-worker.mjs). */
  readonly url: URL;
  /** e.g. ['--import', 'tsx'] to run the .ts source directly. */
  readonly execArgv?: readonly string[];
};

export interface BackgroundRunner {
  run<K extends TaskKind>(kind: K, job: TaskMap[K]['job']): Promise<TaskMap[K]['result']>;
  close(): Promise<void>;
}

/** Run jobs on the main thread through `fs`. */
export function inlineRunner(fs: FsPort): BackgroundRunner {
  return {
    run: (kind, job) => runTask(fs, kind, job),
    close: async () => {},
  };
}

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Run jobs in one worker thread, started on first use and unref'd while idle. */
export function workerRunner(option: WorkerOption): BackgroundRunner {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const start = () => {
    const w = new Worker(option.url, { execArgv: [...(option.execArgv ?? [])] });
    w.on(
      'message',
      (message: { id: number; ok: boolean; result?: unknown; error?: string; code?: string }) => {
        const waiter = pending.get(message.id);
        if (!waiter) return;
        pending.delete(message.id);
        if (pending.size === 0) w.unref();
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(Object.assign(new Error(message.error), { code: message.code }));
      },
    );
    const failAll = (error: unknown) => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      worker = null;
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`the background worker exited (code ${code})`)));
    return w;
  };
  return {
    run(kind, job) {
      worker ??= start();
      const w = worker;
      w.ref();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        w.postMessage({ id, kind, job });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** Turn a worker error back into a LensletError when it carries one of our codes. */
export function fromWorker(error: unknown): unknown {
  const code = errorCode(error);
  if (code === 'corrupt_log' || code === 'corrupt_snapshot') {
    return new LensletError(code, (error as Error).message);
  }
  return error;
}
