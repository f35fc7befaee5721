/** `lenslet serve` — being built; see its issue. */
import { LensletError } from '@lenslet/core';
import type { CommandContext } from '../main.ts';

export async function serveCommand(_ctx: CommandContext): Promise<number> {
  throw new LensletError('internal', 'serve is not available in this build yet');
}
