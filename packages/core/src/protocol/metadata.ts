/**
 * The answer of `GET /metadata?path=`: what is embedded in one image (PNG text chunks, EXIF, XMP)
 * in the original Lenslet's shape (`path`, `format`, `meta`), with Lenslet's parsed generation
 * settings (`generation`) and what could not be read (`warnings`) beside it. The browser's Quick
 * View parses it with this schema.
 *
 * Invariants (docs/api.md, Generation metadata): `generation` is null when no generator's
 * settings were found, else every fact is present and null when absent; `seed` is a number when it
 * is a safe integer, else its decimal digits; `loras` are names; `extra` holds the other settings
 * as text. `meta` is the original's free-form tree (chunks, EXIF tags, XMP), kept as it comes.
 */
import * as z from 'zod/mini';
import { canonicalPathSchema } from './fields.ts';

const text = z.nullable(z.string());
const num = z.nullable(z.number());

export const generationMetaSchema = z.object({
  source: z.string(),
  field: z.string(),
  prompt: text,
  negative_prompt: text,
  seed: z.nullable(z.union([z.number(), z.string()])),
  steps: num,
  sampler: text,
  scheduler: text,
  cfg: num,
  model: text,
  loras: z.array(z.string()),
  width: num,
  height: num,
  extra: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const metadataAnswerSchema = z.object({
  path: canonicalPathSchema,
  format: z.string(),
  meta: z.record(z.string(), z.unknown()),
  generation: z.nullable(generationMetaSchema),
  warnings: z.array(z.string()),
});

export type GenerationMeta = z.infer<typeof generationMetaSchema>;
export type MetadataAnswer = z.infer<typeof metadataAnswerSchema>;
