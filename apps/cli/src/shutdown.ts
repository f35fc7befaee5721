/**
 * Ctrl-C / SIGTERM for `lenslet serve`: the first signal starts an orderly stop, a second one
 * while stopping forces the exit (exit code 130), like most servers.
 */

export type StopSignal = { readonly signal: NodeJS.Signals };

/** Resolves on the first SIGINT/SIGTERM; a second forces `process.exit(130)`. */
export function waitForStopSignal(onForce: () => void): {
  stopped: Promise<StopSignal>;
  dispose(): void;
} {
  let first = true;
  let resolveStop!: (value: StopSignal) => void;
  const stopped = new Promise<StopSignal>((resolve) => {
    resolveStop = resolve;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (first) {
      first = false;
      resolveStop({ signal });
      return;
    }
    onForce();
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
