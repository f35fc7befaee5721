/**
 * Bounds on what reading metadata may cost: a malformed or hostile file gets a partial answer
 * with a warning, never unbounded reads or allocations.
 */

/** Bytes read from one file in total (headers and metadata, never the pixel data). */
export const MAX_METADATA_BYTES = 8 << 20;
/** Reads (chunk or segment headers and payloads) per file. */
export const MAX_METADATA_READS = 4096;
/** Decompressed bytes of all zTXt/iTXt chunks of one file together. */
export const MAX_INFLATED_BYTES = 8 << 20;
/** Entries read from one EXIF IFD, and IFDs followed per EXIF block. */
export const MAX_IFD_ENTRIES = 1024;
/** Items of one EXIF value kept as a list (longer numeric arrays are summarised). */
export const MAX_EXIF_LIST = 256;
/** ComfyUI graph nodes followed from a sampler to its prompt, model or size. */
export const MAX_GRAPH_DEPTH = 32;
/** Warnings kept per file (the rest are counted in the last one). */
export const MAX_WARNINGS = 20;
