/** Query-string hygiene: a parameter a route does not know is an error that names it. */
import { LensletError } from '@lenslet/core';
import type { Request } from 'express';

/** Throw invalid_request naming the first query parameter not in `known`. */
export function allowQuery(req: Request, known: readonly string[]): void {
  for (const name of Object.keys(req.query)) {
    if (!known.includes(name)) {
      throw new LensletError(
        'invalid_request',
        `unknown query parameter "${name}" (this route takes: ${known.join(', ')})`,
      );
    }
  }
}
