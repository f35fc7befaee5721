/**
 * @lenslet/test-kit: support for tests and benchmarks. Only scripts/, test/ and *.test.ts files
 * may import it (scripts/check-deps.mjs enforces this); production code never does.
 * Heavier parts have their own entry: `/browser` (playwright-core), `/fixtures` (sharp),
 * `/esbuild` (bundling, plain JavaScript for scripts/build.mjs).
 */

// The built CLI
export { binArgv, binNodeFlags } from './cli/bin-launch.ts';
export { ensureBuilt } from './cli/ensure-built.ts';
export { type Incarnation, ManagedServer, type ServerOptions } from './cli/managed-server.ts';
export {
  type ReplicaSet,
  type ReplicaSetOptions,
  startReplicaSet,
} from './cli/replica-set.ts';
export {
  removeServed,
  type Served,
  type ServeOptions,
  serveGallery,
} from './cli/serve-gallery.ts';
export { type CliResult, type CliRun, runCli, spawnCli } from './cli/spawn-cli.ts';

// Load and live streams over HTTP
export {
  type HttpAck,
  type HttpFailure,
  type HttpWriters,
  type HttpWritersOptions,
  startHttpWriters,
} from './http/http-writers.ts';
export { LiveClient, type LiveClientOptions, type LiveEvent } from './http/live-client.ts';

// Processes and ports
export { bundleForBench } from './process/bench-bundle.ts';
export { killOnExit } from './process/children.ts';
export { freePort } from './process/free-port.ts';
export {
  type Backend,
  HAPROXY_BIN,
  type Haproxy,
  haproxyConfig,
  startHaproxy,
} from './process/haproxy.ts';
export {
  cliFlags,
  runScript,
  type ScriptOptions,
  type StartedScript,
  startScript,
  stopChild,
} from './process/node-script.ts';
export { cpuSeconds, memoryMib } from './process/proc-stat.ts';

// Where things are
export { BIN, FIXTURE_GALLERY, FIXTURE_LOGS, ROOT } from './repo.ts';

// Statistics
export { latencySummary, median, percentile, percentiles } from './stats.ts';

// Waiting
export { sleep, until } from './wait.ts';
