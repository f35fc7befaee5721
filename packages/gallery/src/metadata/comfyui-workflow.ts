/**
 * ComfyUI UI graph (PNG `workflow` chunk), used when the API graph is missing: `{nodes, links}`
 * where a node is `{id, type, widgets_values, inputs:[{name, link}], title?}` and a link is
 * `[id, origin node, origin slot, target node, target slot, type]` (or an object with those
 * names). Widget values are positional: KSampler `[seed, control, steps, cfg, sampler,
 * scheduler, denoise]`, KSamplerAdvanced `[add_noise, seed, control, steps, cfg, sampler,
 * scheduler, …]`, text encoders hold their text, loaders their file name (the first loader by id
 * is the model), EmptyLatentImage
 * `[width, height, batch]`. Without links, a text encoder titled "negative" (else the second by
 * id) is taken as the negative prompt, and the answer says it guessed.
 */
import {
  emptyGeneration,
  modelName,
  toCount,
  toNumber,
  toSeed,
  toText,
} from './generation-values.ts';
import { MAX_GRAPH_DEPTH } from './limits.ts';
import type { Generation } from './types.ts';

type UiNode = {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly widgets: readonly unknown[];
  readonly named: Readonly<Record<string, unknown>>;
  readonly inputs: ReadonlyMap<string, number>;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toNode(v: unknown): UiNode | null {
  if (!isObject(v) || typeof v.type !== 'string') return null;
  if (typeof v.id !== 'number' && typeof v.id !== 'string') return null;
  const inputs = new Map<string, number>();
  for (const input of Array.isArray(v.inputs) ? v.inputs : []) {
    if (isObject(input) && typeof input.name === 'string' && typeof input.link === 'number') {
      inputs.set(input.name, input.link);
    }
  }
  return {
    id: String(v.id),
    type: v.type,
    title: typeof v.title === 'string' ? v.title : '',
    widgets: Array.isArray(v.widgets_values) ? v.widgets_values : [],
    named: isObject(v.widgets_values) ? v.widgets_values : {},
    inputs,
  };
}

/** link id => origin node id */
function linkOrigins(links: unknown): Map<number, string> {
  const out = new Map<number, string>();
  for (const l of Array.isArray(links) ? links : []) {
    if (Array.isArray(l) && typeof l[0] === 'number' && l[1] !== undefined)
      out.set(l[0], String(l[1]));
    else if (isObject(l) && typeof l.id === 'number' && l.origin_id !== undefined) {
      out.set(l.id, String(l.origin_id));
    }
  }
  return out;
}

const isEncoder = (n: UiNode) => /TextEncode/i.test(n.type);
const isLoader = (n: UiNode) => /^(Checkpoint|UNET|Unet|DiffusionModel).*Loader/.test(n.type);
const CONTROL = new Set(['fixed', 'increment', 'decrement', 'randomize']);

type Ctx = { nodes: Map<string, UiNode>; origins: Map<number, string> };

function origin(ctx: Ctx, node: UiNode, input: string): UiNode | null {
  const link = node.inputs.get(input);
  const id = link === undefined ? undefined : ctx.origins.get(link);
  return id === undefined ? null : (ctx.nodes.get(id) ?? null);
}

/** Text of an encoder node, or of the encoders behind a conditioning node. */
function textOf(ctx: Ctx, node: UiNode | null, depth: number): string | null {
  if (node === null || depth <= 0) return null;
  if (isEncoder(node)) {
    const texts = [...node.widgets, ...Object.values(node.named)].filter(
      (w): w is string => typeof w === 'string' && w.trim() !== '',
    );
    return texts.length > 0 ? [...new Set(texts.map((t) => t.trim()))].join('\n') : null;
  }
  for (const name of ['conditioning', 'conditioning_1', 'conditioning_to', 'positive']) {
    const t = textOf(ctx, origin(ctx, node, name), depth - 1);
    if (t !== null) return t;
  }
  return null;
}

/** The generation in a UI graph, with `guessed` when positive/negative came from titles or order. */
export function parseComfyWorkflow(
  value: unknown,
  field: string,
): { generation: Generation; guessed: boolean } | null {
  if (!isObject(value) || !Array.isArray(value.nodes)) return null;
  const list = value.nodes.map(toNode).filter((n): n is UiNode => n !== null);
  if (list.length === 0) return null;
  const ctx: Ctx = {
    nodes: new Map(list.map((n) => [n.id, n])),
    origins: linkOrigins(value.links),
  };
  const byId = [...list].sort((a, b) => Number(a.id) - Number(b.id));
  const sampler = byId.find((n) => /^KSampler/.test(n.type)) ?? null;
  const encoders = byId.filter(isEncoder);
  if (sampler === null && encoders.length === 0) return null;
  const g = emptyGeneration('comfyui_workflow', field);
  let guessed = false;
  g.prompt = sampler ? textOf(ctx, origin(ctx, sampler, 'positive'), MAX_GRAPH_DEPTH) : null;
  g.negative_prompt = sampler
    ? textOf(ctx, origin(ctx, sampler, 'negative'), MAX_GRAPH_DEPTH)
    : null;
  if (g.prompt === null && encoders.length > 0) {
    guessed = true;
    const negative =
      encoders.find((n) => /neg/i.test(n.title)) ?? (encoders.length > 1 ? encoders[1]! : null);
    const positive = encoders.find((n) => n !== negative) ?? null;
    g.prompt = textOf(ctx, positive, 1);
    g.negative_prompt ??= textOf(ctx, negative, 1);
  }
  if (sampler !== null) {
    const w = sampler.widgets;
    const advanced = sampler.type.startsWith('KSamplerAdvanced');
    let i = advanced ? 1 : 0;
    g.seed = toSeed(w[i] ?? sampler.named.seed ?? sampler.named.noise_seed);
    i += typeof w[i + 1] === 'string' && CONTROL.has(w[i + 1] as string) ? 2 : 1;
    g.steps = toCount(w[i] ?? sampler.named.steps);
    g.cfg = toNumber(w[i + 1] ?? sampler.named.cfg);
    g.sampler = toText(w[i + 2] ?? sampler.named.sampler_name);
    g.scheduler = toText(w[i + 3] ?? sampler.named.scheduler);
  }
  g.model = modelName(byId.find(isLoader)?.widgets[0]);
  g.loras = [
    ...new Set(
      byId
        .filter((n) => /^Lora/i.test(n.type))
        .map((n) => modelName(n.widgets[0]))
        .filter((n): n is string => n !== null),
    ),
  ];
  const latent = byId.find((n) => /^Empty.*LatentImage$/.test(n.type));
  const width = toCount(latent?.widgets[0]);
  const height = toCount(latent?.widgets[1]);
  if (width && height) [g.width, g.height] = [width, height];
  return { generation: g, guessed };
}
