/** @lenslet/test-kit/browser: Chromium through playwright-core (tests and scripts only). */
export { CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM, launchBrowser } from './chromium.ts';
export { openApp } from './open-app.ts';
