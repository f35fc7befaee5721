/**
 * Worker-thread entry for background jobs (snapshots, archives, index scans). The CLI bundle ships
 * it as dist/snapshot-worker.mjs; tests run this file through tsx.
 */
import { parentPort } from 'node:worker_threads';
import { nodeFs } from '../port/node-fs.ts';
import { runTask, type TaskKind, type TaskMap } from './tasks.ts';

const fs = nodeFs();

parentPort?.on(
  'message',
  async (message: { id: number; kind: TaskKind; job: TaskMap[TaskKind]['job'] }) => {
    try {
      const result = await runTask(fs, message.kind, message.job);
      const transfer =
        message.kind === 'scan'
          ? [
              (result as TaskMap['scan']['result']).offsets.buffer,
              (result as TaskMap['scan']['result']).hashes.buffer,
            ]
          : [];
      parentPort?.postMessage({ id: message.id, ok: true, result }, transfer as ArrayBuffer[]);
    } catch (error) {
      parentPort?.postMessage({
        id: message.id,
        ok: false,
        error: (error as Error)?.message ?? String(error),
        code: (error as { code?: string })?.code,
      });
    }
  },
);
