/**
 * What `/metadata` learns from an image file: the raw embedded fields (PNG text chunks, EXIF, XMP,
 * container facts) and, when a generator left its settings behind, the parsed generation.
 */
import type { ImageFormat } from '../formats.ts';

/** One PNG text chunk (tEXt Latin-1, zTXt compressed Latin-1, iTXt UTF-8 maybe compressed). */
export type TextChunk = {
  readonly type: 'tEXt' | 'zTXt' | 'iTXt';
  readonly keyword: string;
  readonly text: string;
  /** iTXt only. */
  readonly language_tag?: string;
  /** iTXt only. */
  readonly translated_keyword?: string;
};

/** A decoded EXIF value: text, a number, a list of them, or a nested IFD (GPSInfo). */
export type ExifValue = string | number | readonly (string | number)[] | ExifFields;
export type ExifFields = { readonly [tag: string]: ExifValue };

/** Where a generation's settings were read and which tool's format they follow. */
export type GenerationSource = 'a1111' | 'comfyui' | 'comfyui_workflow' | 'novelai';

/**
 * Generation settings normalised across tools. Absent facts are null. `seed` is a number when it
 * is a safe integer, else its exact decimal digits (ComfyUI seeds reach 2^64).
 */
export type Generation = {
  readonly source: GenerationSource;
  /** The raw field it came from: 'png:parameters', 'png:prompt', 'exif:UserComment', … */
  readonly field: string;
  readonly prompt: string | null;
  readonly negative_prompt: string | null;
  readonly seed: number | string | null;
  readonly steps: number | null;
  readonly sampler: string | null;
  readonly scheduler: string | null;
  readonly cfg: number | null;
  readonly model: string | null;
  readonly loras: readonly string[];
  readonly width: number | null;
  readonly height: number | null;
  /** Other settings the tool wrote, as text (A1111: 'Model hash', 'VAE', 'Denoising strength', …). */
  readonly extra: Readonly<Record<string, string>>;
};

/** Everything read from one file's headers. `container` holds container facts (JFIF, dpi, …). */
export type ImageMetadata = {
  readonly format: ImageFormat;
  readonly text_chunks: readonly TextChunk[];
  readonly exif: ExifFields | null;
  readonly xmp: string | null;
  readonly container: Readonly<Record<string, unknown>>;
  /** JPEG COM segments (text). */
  readonly comments: readonly string[];
  readonly generation: Generation | null;
  /** What could not be read (a malformed chunk, a limit reached); the rest is still answered. */
  readonly warnings: readonly string[];
};
