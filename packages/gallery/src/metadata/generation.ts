/**
 * Which embedded field holds the generation, in order of trust:
 * 1. PNG `parameters` (A1111 and its forks write nothing else there);
 * 2. PNG `prompt` as a ComfyUI API graph, else `workflow` as a ComfyUI UI graph;
 * 3. PNG `Comment` as NovelAI JSON (`prompt`, `uc`, `steps`, `scale`, `seed`, …; model in `Source`);
 * 4. EXIF text starting `prompt:` / `workflow:` (ComfyUI's WebP and JPEG writers);
 * 5. EXIF UserComment, ImageDescription, XPComment, then XMP exif:UserComment / dc:description,
 *    then JPEG comments — only when the text looks like A1111 parameters (a settings line or a
 *    negative prompt), since any tool may write a plain comment there.
 */
import { parseA1111 } from './a1111.ts';
import { parseComfyGraph } from './comfyui-graph.ts';
import { parseComfyWorkflow } from './comfyui-workflow.ts';
import {
  emptyGeneration,
  modelName,
  toCount,
  toNumber,
  toSeed,
  toText,
} from './generation-values.ts';
import type { Warnings } from './read-steps.ts';
import type { ExifFields, Generation, TextChunk } from './types.ts';
import { xmpProperty } from './xmp.ts';

export type GenerationSources = {
  readonly chunks: readonly TextChunk[];
  readonly exif: ExifFields | null;
  readonly xmp: string | null;
  readonly comments: readonly string[];
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function novelAi(text: string, model: string | undefined): Generation | null {
  const v = parseJson(text) as Record<string, unknown> | undefined;
  if (typeof v !== 'object' || v === null || typeof v.prompt !== 'string') return null;
  if (!('uc' in v) && !('steps' in v)) return null;
  const g = emptyGeneration('novelai', 'png:Comment');
  g.prompt = toText(v.prompt);
  g.negative_prompt = toText(v.uc);
  g.seed = toSeed(v.seed);
  g.steps = toCount(v.steps);
  g.cfg = toNumber(v.scale);
  g.sampler = toText(v.sampler);
  g.scheduler = toText(v.noise_schedule);
  g.width = toCount(v.width);
  g.height = toCount(v.height);
  g.model = modelName(model);
  return g;
}

function comfy(
  text: string,
  field: string,
  warnings: Warnings,
  workflow: boolean,
): Generation | null {
  const value = parseJson(text);
  if (value === undefined) return null;
  if (!workflow) return parseComfyGraph(value, text, field);
  const found = parseComfyWorkflow(value, field);
  if (found?.guessed)
    warnings.add(`${field}: positive and negative prompt guessed from node titles or order`);
  return found?.generation ?? null;
}

/** The generation embedded in the fields read from one file, or null. */
export function findGeneration(s: GenerationSources, warnings: Warnings): Generation | null {
  const chunk = (keyword: string) => s.chunks.find((c) => c.keyword === keyword)?.text;
  const parameters = chunk('parameters');
  if (parameters !== undefined) return parseA1111(parameters, 'png:parameters', false);
  const prompt = chunk('prompt');
  const fromGraph = prompt === undefined ? null : comfy(prompt, 'png:prompt', warnings, false);
  if (fromGraph) return fromGraph;
  const workflow = chunk('workflow');
  const fromWorkflow =
    workflow === undefined ? null : comfy(workflow, 'png:workflow', warnings, true);
  if (fromWorkflow) return fromWorkflow;
  const comment = chunk('Comment');
  const fromNovelAi = comment === undefined ? null : novelAi(comment, chunk('Source'));
  if (fromNovelAi) return fromNovelAi;
  const candidates: [string, string | null | undefined][] = [];
  if (prompt !== undefined) candidates.push(['png:prompt', prompt]);
  for (const c of ['Description', 'Comment']) candidates.push([`png:${c}`, chunk(c)]);
  if (s.exif !== null) {
    for (const [tag, value] of Object.entries(s.exif)) {
      if (typeof value !== 'string') continue;
      const m = /^(prompt|workflow):\s*([[{][\s\S]*)$/.exec(value);
      const g = m ? comfy(m[2]!, `exif:${tag}`, warnings, m[1] === 'workflow') : null;
      if (g) return g;
    }
    for (const tag of ['UserComment', 'ImageDescription', 'XPComment']) {
      const value = s.exif[tag];
      if (typeof value === 'string') candidates.push([`exif:${tag}`, value]);
    }
  }
  if (s.xmp !== null) {
    for (const name of ['exif:UserComment', 'dc:description']) {
      candidates.push([`xmp:${name}`, xmpProperty(s.xmp, name)]);
    }
  }
  for (const text of s.comments) candidates.push(['jpeg:COM', text]);
  for (const [field, text] of candidates) {
    const g = text ? parseA1111(text, field, true) : null;
    if (g) return g;
  }
  return null;
}
