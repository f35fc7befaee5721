#!/usr/bin/env node
// Entry point of the `lenslet` bin: runs the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/lenslet.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('lenslet: the CLI is not built yet; run "npm run build" in the checkout\n');
  process.exit(1);
}
await import(bundle);
