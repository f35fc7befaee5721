/**
 * Indexing progress on the terminal: on a TTY one line that updates in place; otherwise (logs,
 * CI, systemd) a plain line every few seconds, and nothing at all for a scan that is quick.
 */

const TTY_EVERY_MS = 100;
const LOG_EVERY_MS = 5000;

export type ProgressReporter = {
  update(items: number, skipped: number): void;
  /** Clear the updating line (TTY) before the banner is printed. */
  done(): void;
};

const count = (n: number) => n.toLocaleString('en-US');

export function createProgress(
  out: NodeJS.WritableStream,
  isTTY: boolean,
  now: () => number = Date.now,
): ProgressReporter {
  const started = now();
  let last = started;
  let shown = false;
  const text = (items: number, skipped: number) =>
    `Indexing… ${count(items)} image${items === 1 ? '' : 's'}${skipped > 0 ? ` (${count(skipped)} skipped)` : ''}, ${((now() - started) / 1000).toFixed(0)} s`;
  return {
    update(items, skipped) {
      const t = now();
      if (isTTY) {
        if (t - last < TTY_EVERY_MS && shown) return;
        out.write(`\r\x1b[2K  ${text(items, skipped)}`);
      } else {
        if (t - last < LOG_EVERY_MS) return;
        out.write(`  ${text(items, skipped)}\n`);
      }
      last = t;
      shown = true;
    },
    done() {
      if (isTTY && shown) out.write('\r\x1b[2K');
    },
  };
}
