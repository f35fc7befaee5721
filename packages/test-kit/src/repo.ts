/** Where things are in the repository, for code that runs from a checkout (tests, scripts). */
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The CLI entry users run (`lenslet`): bin/lenslet.cjs, which loads the built bundle. */
export const BIN = join(ROOT, 'apps/cli/bin/lenslet.cjs');
/** The fixture gallery: Unicode, RTL and emoji names, nested folders, odd formats. */
export const FIXTURE_GALLERY = join(ROOT, 'test/fixtures/gallery');
/** Golden label logs (`good.jsonl`, `torn-tail.jsonl`, …). */
export const FIXTURE_LOGS = join(ROOT, 'test/fixtures/logs');
