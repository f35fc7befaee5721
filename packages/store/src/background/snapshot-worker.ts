/**
 * Worker-thread entry for background jobs (snapshots, archives, index scans). The CLI bundle ships
 * it as dist/snapshot-worker.mjs; tests run this file through tsx.
 */
import { parentPort } from 'node:worker_threads';
import { stateBuffers } from '../index/idempotency-table.ts';
import { nodeFs } from '../port/node-fs.ts';
import { runTask, type TaskKind, type TaskMap } from './tasks.ts';

const fs = nodeFs();

parentPort?.on(
  'message',
  async (message: { id: number; kind: TaskKind; job: TaskMap[TaskKind]['job'] }) => {
    try {
      const result = await runTask(fs, message.kind, message.job);
      const transfer = transferOf(message.kind, result);
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

/** The buffers of a result that are moved, not copied, to the main thread. */
function transferOf(kind: TaskKind, result: TaskMap[TaskKind]['result']): ArrayBuffer[] {
  if (kind === 'scan') {
    const scan = result as TaskMap['scan']['result'];
    return [scan.offsets.buffer, scan.hashes.buffer] as ArrayBuffer[];
  }
  if (kind === 'keys') {
    const keys = result as TaskMap['keys']['result'];
    return keys.ok ? stateBuffers(keys.state) : [];
  }
  return [];
}
