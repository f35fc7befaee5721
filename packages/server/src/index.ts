// The application
export { createApp, type LensletApp } from './app.ts';
export { DEFAULT_CONFIG, type ServerConfig, type ServerDeps } from './context.ts';
