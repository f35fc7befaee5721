/**
 * `@lenslet/server/testing`: the server's test doubles for scripts and tests outside the package
 * (benchmarks, soak). Not part of the production entry.
 */
export { createFakeGallery, createFakeThumbnailer } from './fake-gallery.ts';
export { FakeGallery, noThumbnails } from './live-test-kit.ts';
