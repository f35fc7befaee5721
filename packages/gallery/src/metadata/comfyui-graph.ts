/**
 * ComfyUI API graph (PNG `prompt` chunk): `{"<node id>": {class_type, inputs}}`, where an input
 * is a literal or a link `["<node id>", <output slot>]`. The generation is read from a sampler
 * node (one with a `latent_image` and a `positive` or `guider` input; the lowest id that yields
 * a prompt wins): positive and negative prompts by following its conditioning links back to the
 * text-encode nodes (through combine/ControlNet nodes), seed/steps/cfg/sampler/scheduler from its
 * inputs or the noise/guider/sampler/sigmas nodes of SamplerCustomAdvanced, the model and LoRAs
 * along its `model` link, the size from its latent. Every walk is depth-bounded and cycle-safe.
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

type Inputs = Readonly<Record<string, unknown>>;
type GraphNode = { readonly id: string; readonly class_type: string; readonly inputs: Inputs };
type Graph = ReadonlyMap<string, GraphNode>;
type Link = readonly [string | number, number];

const TEXT_INPUTS = ['text', 'text_g', 'text_l', 'clip_l', 't5xxl', 'prompt', 'string', 'value'];
const CONDITIONING_INPUTS = [
  'conditioning',
  'conditioning_1',
  'conditioning_2',
  'conditioning_to',
  'conditioning_from',
];
const MODEL_NAMES = ['ckpt_name', 'unet_name', 'model_name', 'gguf_name'];
const HELPER_INPUTS = ['guider', 'noise', 'sampler', 'sigmas'];
const LATENT_INPUTS = ['samples', 'latent', 'latent_image', 'pixels', 'image'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLink(v: unknown): v is Link {
  return (
    Array.isArray(v) &&
    v.length === 2 &&
    (typeof v[0] === 'string' || typeof v[0] === 'number') &&
    typeof v[1] === 'number'
  );
}

/** The nodes of an API graph, or null when `value` is not one. */
export function toComfyGraph(value: unknown): Graph | null {
  if (!isObject(value)) return null;
  const graph = new Map<string, GraphNode>();
  for (const [id, node] of Object.entries(value)) {
    if (isObject(node) && typeof node.class_type === 'string') {
      graph.set(id, {
        id,
        class_type: node.class_type,
        inputs: isObject(node.inputs) ? node.inputs : {},
      });
    }
  }
  return graph.size > 0 ? graph : null;
}

class Walk {
  private readonly seen = new Set<string>();
  constructor(private readonly graph: Graph) {}

  /** The node a link points at, once per walk. */
  private enter(v: unknown): GraphNode | null {
    if (!isLink(v) || this.seen.size >= MAX_GRAPH_DEPTH * 8) return null;
    const id = String(v[0]);
    if (this.seen.has(id)) return null;
    this.seen.add(id);
    return this.graph.get(id) ?? null;
  }

  text(v: unknown, depth = MAX_GRAPH_DEPTH): string | null {
    if (typeof v === 'string') return v;
    if (depth <= 0) return null;
    const node = this.enter(v);
    if (node === null) return null;
    const { inputs } = node;
    if ('positive' in inputs && 'negative' in inputs) {
      return this.text((v as Link)[1] === 1 ? inputs.negative : inputs.positive, depth - 1);
    }
    for (const keys of [TEXT_INPUTS, CONDITIONING_INPUTS]) {
      const found: string[] = [];
      for (const key of keys) {
        if (!(key in inputs)) continue;
        const t = this.text(inputs[key], depth - 1)?.trim();
        if (t && !found.includes(t)) found.push(t);
      }
      if (found.length > 0) return found.join('\n');
    }
    return null;
  }

  scalar(v: unknown, keys: readonly string[], depth = MAX_GRAPH_DEPTH): unknown {
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (depth <= 0) return null;
    const node = this.enter(v);
    if (node === null) return null;
    for (const key of [...keys, 'value', 'int', 'float', 'number', 'seed']) {
      if (key in node.inputs) {
        const r = this.scalar(node.inputs[key], keys, depth - 1);
        if (r !== null) return r;
      }
    }
    return null;
  }

  model(v: unknown, loras: string[], depth = MAX_GRAPH_DEPTH): string | null {
    const node = depth > 0 ? this.enter(v) : null;
    if (node === null) return null;
    const lora = modelName(node.inputs.lora_name);
    if (lora !== null && !loras.includes(lora)) loras.push(lora);
    for (const key of MODEL_NAMES) {
      const name = modelName(this.scalar(node.inputs[key], []));
      if (name !== null) return name;
    }
    return this.model(node.inputs.model, loras, depth - 1);
  }

  size(v: unknown, depth = MAX_GRAPH_DEPTH): [number, number] | null {
    const node = depth > 0 ? this.enter(v) : null;
    if (node === null) return null;
    const w = toCount(this.scalar(node.inputs.width, ['width']));
    const h = toCount(this.scalar(node.inputs.height, ['height']));
    if (w !== null && h !== null && w > 0 && h > 0) return [w, h];
    for (const key of LATENT_INPUTS) {
      const found = key in node.inputs ? this.size(node.inputs[key], depth - 1) : null;
      if (found) return found;
    }
    return null;
  }
}

function idOrder(a: GraphNode, b: GraphNode): number {
  const na = Number(a.id);
  const nb = Number(b.id);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** ComfyUI seeds reach 2^64: recover the exact digits JSON.parse rounded. */
function exactSeed(value: unknown, raw: string): number | string | null {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return toSeed(value);
  for (const m of raw.matchAll(/"(?:noise_)?seed"\s*:\s*(\d{16,40})/g)) {
    if (Number(m[1]) === value) return m[1]!;
  }
  return null;
}

function fromSampler(graph: Graph, sampler: GraphNode, raw: string, field: string): Generation {
  const g = emptyGeneration('comfyui', field);
  const scope: Inputs[] = [sampler.inputs];
  for (const key of HELPER_INPUTS) {
    const helper = isLink(sampler.inputs[key]) ? graph.get(String(sampler.inputs[key][0])) : null;
    if (helper) scope.push(helper.inputs);
  }
  const input = (...keys: string[]): unknown => {
    for (const inputs of scope) for (const key of keys) if (key in inputs) return inputs[key];
    return undefined;
  };
  const positive = input('positive') ?? input('conditioning');
  g.prompt = toText(new Walk(graph).text(positive));
  g.negative_prompt = toText(new Walk(graph).text(input('negative')));
  g.seed = exactSeed(
    new Walk(graph).scalar(input('seed', 'noise_seed'), ['seed', 'noise_seed']),
    raw,
  );
  g.steps = toCount(new Walk(graph).scalar(input('steps'), ['steps']));
  g.cfg = toNumber(new Walk(graph).scalar(input('cfg'), ['cfg']));
  g.sampler = toText(new Walk(graph).scalar(input('sampler_name'), ['sampler_name']));
  g.scheduler = toText(new Walk(graph).scalar(input('scheduler'), ['scheduler']));
  const loras: string[] = [];
  g.model = new Walk(graph).model(input('model'), loras);
  g.loras = loras;
  const size = new Walk(graph).size(sampler.inputs.latent_image);
  if (size) [g.width, g.height] = size;
  const denoise = toNumber(input('denoise'));
  g.extra = denoise === null ? {} : { denoise: String(denoise) };
  return g;
}

/** The generation in an API graph (`raw` is its JSON text), or null without a sampler node. */
export function parseComfyGraph(value: unknown, raw: string, field: string): Generation | null {
  const graph = toComfyGraph(value);
  if (graph === null) return null;
  const samplers = [...graph.values()]
    .filter((n) => 'latent_image' in n.inputs && ('positive' in n.inputs || 'guider' in n.inputs))
    .sort(idOrder);
  let first: Generation | null = null;
  for (const sampler of samplers) {
    const g = fromSampler(graph, sampler, raw, field);
    if (g.prompt !== null) return g;
    first ??= g;
  }
  return first;
}
