/** `lenslet compact` — being built; see its issue. */
import { LensletError } from '@lenslet/core';
import type { CommandContext } from '../main.ts';

export async function compactCommand(_ctx: CommandContext): Promise<number> {
  throw new LensletError('internal', 'compact is not available in this build yet');
}
