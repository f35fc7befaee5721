// The port

// Demo gallery
export { createDemoGallery } from './demo.ts';
export { chokidarDirWatcher, type DirWatcher, type DirWatcherFactory } from './dir-watcher.ts';
export { FOLDER_UPDATE_INTERVAL_MS } from './folder-updates.ts';
export { hasImageExtension, IMAGE_EXTENSIONS } from './formats.ts';
export type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  GalleryRoot,
  GalleryStatus,
  ImageEntry,
  SkippedCounts,
  Thumbnailer,
  ThumbnailStats,
  WatchMode,
} from './gallery.ts';
// The index: scan, dimensions, live watch
export {
  type GalleryProgress,
  type OpenedGallery,
  type OpenGalleryOptions,
  openGallery,
} from './open-gallery.ts';
export { type HeaderInfo, readDimensions } from './read-dimensions.ts';
export { raiseThreadPoolSize, THREAD_POOL_SIZE } from './thread-pool.ts';
// Thumbnails and the thread pool
export { openThumbnailer, THUMBNAIL_DEFAULTS, type ThumbnailerOptions } from './thumbnails.ts';
