/** The live parts: SSE hub and presence tracker — being built. */
import type { LiveHub, PresenceTracker, ServerDeps } from './context.ts';

export function createLive(
  _deps: ServerDeps,
  _clock: () => Date,
): { hub: LiveHub; presence: PresenceTracker } {
  return {
    hub: { broadcast: () => {}, stats: () => ({ clients: 0 }), close: async () => {} },
    presence: { touchEdit: () => {}, diagnostics: () => ({}), close: () => {} },
  };
}
