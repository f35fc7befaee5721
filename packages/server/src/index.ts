// The application
export { createApp, type LensletApp } from './app.ts';
// What is served: folders, tables or both, as one gallery port and one query catalog
export {
  openServed,
  type Served,
  type ServedOptions,
  type ServedSource,
} from './catalog/open-served.ts';
export { DEFAULT_TABLE_POLL_MS } from './catalog/table-source.ts';
export { DEFAULT_CONFIG, type ServerConfig, type ServerDeps } from './context.ts';
// Access: tokens and host names (the CLI generates tokens and decides which names are allowed)
export { isLoopbackName } from './hosts.ts';
export { generateToken, TOKEN_PATTERN } from './tokens.ts';
