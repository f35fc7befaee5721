import { expect, test } from 'vitest';
import { parseComfyGraph } from './comfyui-graph.ts';
import { parseComfyWorkflow } from './comfyui-workflow.ts';

/** The original fixture's graph (make_table_fixture.py, row 2). */
const FIXTURE = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 911856872,
      steps: 40,
      cfg: 6.5,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1.0,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': {
    class_type: 'CheckpointLoaderSimple',
    inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
  },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a castle', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'lowres, watermark', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
};

const parse = (graph: unknown) => parseComfyGraph(graph, JSON.stringify(graph), 'png:prompt');

test('the fixture graph: prompts by following positive/negative, settings, model, size', () => {
  expect(parse(FIXTURE)).toEqual({
    source: 'comfyui',
    field: 'png:prompt',
    prompt: 'a castle',
    negative_prompt: 'lowres, watermark',
    seed: 911856872,
    steps: 40,
    sampler: 'euler',
    scheduler: 'normal',
    cfg: 6.5,
    model: 'sd_xl_base_1.0.safetensors',
    loras: [],
    width: 512,
    height: 512,
    extra: { denoise: '1' },
  });
});

test('swapped node ids: the links decide which encoder is negative, not the order', () => {
  const graph = structuredClone(FIXTURE) as Record<string, { inputs: Record<string, unknown> }>;
  graph['3']!.inputs.positive = ['7', 0];
  graph['3']!.inputs.negative = ['6', 0];
  expect(parse(graph)).toMatchObject({ prompt: 'lowres, watermark', negative_prompt: 'a castle' });
});

test('through LoRA loaders, ControlNet (by output slot), SDXL encoders and primitive nodes', () => {
  const graph = {
    '1': {
      class_type: 'CheckpointLoaderSimple',
      inputs: { ckpt_name: 'models/sdxl/juggernaut.safetensors' },
    },
    '2': { class_type: 'LoraLoader', inputs: { lora_name: 'film.safetensors', model: ['1', 0] } },
    '3': { class_type: 'LoraLoader', inputs: { lora_name: 'grain.safetensors', model: ['2', 0] } },
    '4': { class_type: 'CLIPTextEncodeSDXL', inputs: { text_g: 'a red fox', text_l: 'a red fox' } },
    '5': { class_type: 'PrimitiveString', inputs: { value: 'blurry' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: ['5', 0] } },
    '7': {
      class_type: 'ControlNetApplyAdvanced',
      inputs: { positive: ['4', 0], negative: ['6', 0], control_net: ['9', 0] },
    },
    '8': { class_type: 'PrimitiveInt', inputs: { value: 1234 } },
    '10': { class_type: 'EmptySD3LatentImage', inputs: { width: 1024, height: 768 } },
    '11': {
      class_type: 'KSampler',
      inputs: {
        seed: ['8', 0],
        steps: 30,
        cfg: 4,
        sampler_name: 'dpmpp_2m',
        scheduler: 'karras',
        model: ['3', 0],
        positive: ['7', 0],
        negative: ['7', 1],
        latent_image: ['10', 0],
      },
    },
  };
  expect(parse(graph)).toMatchObject({
    prompt: 'a red fox',
    negative_prompt: 'blurry',
    seed: 1234,
    model: 'juggernaut.safetensors',
    loras: ['grain.safetensors', 'film.safetensors'],
    width: 1024,
    height: 768,
  });
});

test('SamplerCustomAdvanced: guider, noise, sampler and sigmas nodes', () => {
  const graph = {
    '1': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-dev.safetensors' } },
    '2': {
      class_type: 'CLIPTextEncodeFlux',
      inputs: { clip_l: 'a lake', t5xxl: 'a calm lake at dawn' },
    },
    '3': { class_type: 'BasicGuider', inputs: { model: ['1', 0], conditioning: ['2', 0] } },
    '4': { class_type: 'RandomNoise', inputs: { noise_seed: 42 } },
    '5': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
    '6': {
      class_type: 'BasicScheduler',
      inputs: { scheduler: 'simple', steps: 20, model: ['1', 0] },
    },
    '7': { class_type: 'EmptyLatentImage', inputs: { width: 896, height: 1152 } },
    '8': {
      class_type: 'SamplerCustomAdvanced',
      inputs: {
        noise: ['4', 0],
        guider: ['3', 0],
        sampler: ['5', 0],
        sigmas: ['6', 0],
        latent_image: ['7', 0],
      },
    },
  };
  expect(parse(graph)).toMatchObject({
    prompt: 'a lake\na calm lake at dawn',
    negative_prompt: null,
    seed: 42,
    steps: 20,
    sampler: 'euler',
    scheduler: 'simple',
    model: 'flux1-dev.safetensors',
    width: 896,
    height: 1152,
  });
});

test('a 64-bit seed keeps its exact digits', () => {
  const raw = JSON.stringify(FIXTURE).replace('911856872', '18446744073709551615');
  expect(parseComfyGraph(JSON.parse(raw), raw, 'p')?.seed).toBe('18446744073709551615');
});

test('cycles, dangling links and junk end the walk without a prompt, never hang', () => {
  const cyclic = {
    '1': {
      class_type: 'ConditioningCombine',
      inputs: { conditioning_1: ['2', 0], conditioning_2: ['9', 0] },
    },
    '2': { class_type: 'ConditioningCombine', inputs: { conditioning_1: ['1', 0] } },
    '3': {
      class_type: 'KSampler',
      inputs: { positive: ['1', 0], model: ['3', 0], latent_image: ['3', 0] },
    },
  };
  expect(parse(cyclic)).toMatchObject({ prompt: null, model: null, width: null });
  expect(parse({ a: 1, b: { class_type: 'Note' } })).toBeNull();
  expect(parse([1, 2])).toBeNull();
  expect(parse(null)).toBeNull();
});

test('the workflow (UI graph) with links', () => {
  const workflow = {
    nodes: [
      {
        id: 3,
        type: 'KSampler',
        widgets_values: [5, 'randomize', 25, 7.5, 'euler_a', 'normal', 1],
        inputs: [
          { name: 'positive', link: 11 },
          { name: 'negative', link: 12 },
        ],
      },
      { id: 6, type: 'CLIPTextEncode', widgets_values: ['ugly'] },
      { id: 7, type: 'CLIPTextEncode', widgets_values: ['a harbor at night'] },
      {
        id: 4,
        type: 'CheckpointLoaderSimple',
        widgets_values: ['C:\\models\\dreamshaper_8.safetensors'],
      },
      { id: 9, type: 'LoraLoader', widgets_values: ['neon.safetensors', 1, 1] },
      { id: 5, type: 'EmptyLatentImage', widgets_values: [640, 448, 1] },
    ],
    links: [
      [11, 7, 0, 3, 1, 'CONDITIONING'],
      [12, 6, 0, 3, 2, 'CONDITIONING'],
    ],
  };
  expect(parseComfyWorkflow(workflow, 'png:workflow')).toEqual({
    guessed: false,
    generation: expect.objectContaining({
      source: 'comfyui_workflow',
      prompt: 'a harbor at night',
      negative_prompt: 'ugly',
      seed: 5,
      steps: 25,
      cfg: 7.5,
      sampler: 'euler_a',
      scheduler: 'normal',
      model: 'dreamshaper_8.safetensors',
      loras: ['neon.safetensors'],
      width: 640,
      height: 448,
    }),
  });
});

test('the fixture workflow (no links) is read by node order and says it guessed', () => {
  const workflow = {
    nodes: [
      {
        id: 3,
        type: 'KSampler',
        widgets_values: [911856872, 'fixed', 40, 6.5, 'euler', 'normal', 1.0],
      },
      { id: 6, type: 'CLIPTextEncode', widgets_values: ['a castle'] },
      { id: 7, type: 'CLIPTextEncode', widgets_values: ['lowres, watermark'] },
      { id: 4, type: 'CheckpointLoaderSimple', widgets_values: ['sd_xl_base_1.0.safetensors'] },
    ],
    links: [],
  };
  const found = parseComfyWorkflow(workflow, 'png:workflow')!;
  expect(found.guessed).toBe(true);
  expect(found.generation).toMatchObject({
    prompt: 'a castle',
    negative_prompt: 'lowres, watermark',
    seed: 911856872,
    steps: 40,
    cfg: 6.5,
    sampler: 'euler',
    model: 'sd_xl_base_1.0.safetensors',
  });
  const titled = structuredClone(workflow) as { nodes: Record<string, unknown>[] };
  titled.nodes[1]!.title = 'Negative Prompt';
  expect(parseComfyWorkflow(titled, 'w')!.generation).toMatchObject({
    prompt: 'lowres, watermark',
    negative_prompt: 'a castle',
  });
});

test('KSamplerAdvanced widget layout; junk workflows are null', () => {
  const workflow = {
    nodes: [
      {
        id: 1,
        type: 'KSamplerAdvanced',
        widgets_values: ['enable', 77, 'fixed', 12, 3, 'ddim', 'simple', 0, 12, 'disable'],
      },
    ],
  };
  expect(parseComfyWorkflow(workflow, 'w')!.generation).toMatchObject({
    seed: 77,
    steps: 12,
    cfg: 3,
    sampler: 'ddim',
    scheduler: 'simple',
  });
  expect(parseComfyWorkflow({ nodes: [{ id: 1, type: 'Note' }] }, 'w')).toBeNull();
  expect(parseComfyWorkflow({ nodes: 'x' }, 'w')).toBeNull();
  expect(parseComfyWorkflow('x', 'w')).toBeNull();
});
