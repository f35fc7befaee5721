/** Process entry of the bundled CLI: run `main` and exit with its code. */
import { main } from './main.ts';

process.exitCode = await main();
