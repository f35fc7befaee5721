// The port
export type {
  FolderEntry,
  FolderUpdate,
  GalleryIndex,
  GalleryRoot,
  GalleryStatus,
  ImageEntry,
  SkippedCounts,
  ThumbnailStats,
  Thumbnailer,
  WatchMode,
} from './gallery.ts';
