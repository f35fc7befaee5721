/** `lenslet replay` — being built; see its issue. */
import { LensletError } from '@lenslet/core';
import type { CommandContext } from '../main.ts';

export async function replayCommand(_ctx: CommandContext): Promise<number> {
  throw new LensletError('internal', 'replay is not available in this build yet');
}
