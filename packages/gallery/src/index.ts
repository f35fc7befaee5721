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
