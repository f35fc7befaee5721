// The application
export { createApp, type LensletApp } from './app.ts';
export { DEFAULT_CONFIG, type ServerConfig, type ServerDeps } from './context.ts';

// Access: tokens and host names (the CLI generates tokens and decides which names are allowed)
export { isLoopbackName } from './hosts.ts';
export { generateToken, TOKEN_PATTERN } from './tokens.ts';
