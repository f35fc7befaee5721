// Demo gallery for `lenslet serve` with no folder
export { createDemoGallery } from './demo.ts';
// Native watcher (one OS watch per folder); swappable in tests
export { chokidarDirWatcher, type DirWatcher, type DirWatcherFactory } from './dir-watcher.ts';
// Folder-update throttle interval
export { FOLDER_UPDATE_INTERVAL_MS } from './folder-updates.ts';
// Which files are images
export { hasImageExtension, IMAGE_EXTENSIONS } from './formats.ts';
// The port
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
// Embedded metadata (PNG text, EXIF, XMP) and the generation parsed from it
export { toOriginalMeta } from './metadata/original-meta.ts';
export { readImageMetadata, readMetadataFromBytes } from './metadata/read-metadata.ts';
export type {
  ExifFields,
  ExifValue,
  Generation,
  GenerationSource,
  ImageMetadata,
  TextChunk,
} from './metadata/types.ts';
// The index: first scan, dimension cache, live watch or poll
export {
  type GalleryProgress,
  type OpenedGallery,
  type OpenGalleryOptions,
  openGallery,
} from './open-gallery.ts';
// Image header dimensions without decoding
export { type HeaderInfo, readDimensions } from './read-dimensions.ts';
// Images side by side in one PNG (export comparison)
export { composeSideBySide, MAX_COMPARISON_HEIGHT } from './side-by-side.ts';
// libuv thread pool sizing (set before the pool is first used)
export { raiseThreadPoolSize, THREAD_POOL_SIZE } from './thread-pool.ts';
// Thumbnails
export { openThumbnailer, THUMBNAIL_DEFAULTS, type ThumbnailerOptions } from './thumbnails.ts';
