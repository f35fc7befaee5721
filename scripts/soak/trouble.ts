/**
 * The trouble the soak causes on purpose, each step logged and checked as it happens: SIGKILL
 * and restart the server, make its disk fail for a while (through the test-only fault hook), and
 * run `lenslet compact` under load, again when a kill or a disk fault interrupted it.
 */
import { type ManagedServer, runCli, sleep } from '@lenslet/test-kit';
import type { Ledger } from './ledger.ts';
import type { Rng } from './rng.ts';
import { FAULT_VARIANTS } from './schedule.ts';

/** A 503 answered this long after a fault window closed still counts as injected. */
export const FAULT_GRACE_MS = 3_000;
const COMPACT_TRIES = 3;
const COMPACT_RETRY_MS = 4_000;

export type TroubleContext = {
  readonly server: ManagedServer;
  readonly ledger: Ledger;
  readonly rng: Rng;
  readonly log: (line: string) => void;
  /** The gallery folder (its workspace is what `lenslet compact` compacts). */
  readonly dir: string;
};

export function createTrouble({ server, ledger, rng, log, dir }: TroubleContext) {
  return {
    async kill(): Promise<void> {
      const down = ledger.open('down');
      await server.kill();
      ledger.count('SIGKILLs');
      log(`SIGKILL server (incarnation ${server.incarnations.length})`);
      await sleep(rng.int(0, 1_500));
      const life = await server.start();
      ledger.close(down);
      log(
        `restarted (pid ${life.pid}) after ${((life.up_at! - down.from) / 1000).toFixed(1)} s down`,
      );
    },

    async fault(ms: number, variantIndex: number): Promise<void> {
      const variant = FAULT_VARIANTS[variantIndex]!;
      const window = ledger.open('disk-fault');
      const on = await server.admin('POST', '/admin/faults', { rules: variant.rules });
      if (on.status !== 200) {
        ledger.violation(`POST /admin/faults answered ${on.status}: ${await on.text()}`);
      }
      log(`disk fault on: ${variant.name} for ${(ms / 1000).toFixed(1)} s`);
      await sleep(ms);
      const off = await server.admin('DELETE', '/admin/faults');
      ledger.close(window);
      const { injected } = (await off.json()) as { injected: number };
      ledger.count('disk operations failed on purpose', injected);
      log(`disk fault off (${injected} operations failed on purpose)`);
      if (injected === 0) {
        ledger.violation(
          `fault window "${variant.name}" failed no disk operation: nothing was tested`,
        );
      }
    },

    /** Resolves true once a compaction completed. */
    async compact(): Promise<boolean> {
      // A kill or a disk fault may interrupt it; like a person, run it again.
      for (let attempt = 1; attempt <= COMPACT_TRIES; attempt++) {
        const window = ledger.open('compaction');
        const kills = ledger.counters.get('SIGKILLs') ?? 0;
        log(`lenslet compact (under load${attempt > 1 ? `, try ${attempt}` : ''})`);
        const result = await runCli(['compact', dir]);
        ledger.close(window);
        const message = result.stderr.trim();
        if (result.code === 0) {
          log(`compaction done: ${result.stdout.trim().split('\n').at(-1)?.trim()}`);
          return true;
        }
        if ((ledger.counters.get('SIGKILLs') ?? 0) > kills) {
          log(`compaction interrupted by a kill: ${message}`);
        } else if (
          ledger.overlaps('disk-fault', window.from, window.to!, FAULT_GRACE_MS) &&
          /the disk refused a write/.test(message)
        ) {
          log(`compaction refused during the disk fault, as it should: ${message}`);
        } else {
          ledger.violation(`lenslet compact failed (exit ${result.code}): ${message}`);
          return false;
        }
        await sleep(COMPACT_RETRY_MS);
      }
      return false;
    },
  };
}
