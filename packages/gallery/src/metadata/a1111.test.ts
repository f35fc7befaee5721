import { expect, test } from 'vitest';
import { parseA1111, settingsPairs } from './a1111.ts';

const FULL = [
  'a ancient fox by the sea, highly detailed, 8k, row 1',
  'Negative prompt: blurry, lowres, bad anatomy',
  'Steps: 36, Sampler: UniPC, CFG scale: 6.5, Seed: 1302957854, Size: 768x768, Model: anything_v4',
].join('\n');

test('the original fixture text: prompt, negative prompt and every setting', () => {
  expect(parseA1111(FULL, 'png:parameters', false)).toEqual({
    source: 'a1111',
    field: 'png:parameters',
    prompt: 'a ancient fox by the sea, highly detailed, 8k, row 1',
    negative_prompt: 'blurry, lowres, bad anatomy',
    seed: 1302957854,
    steps: 36,
    sampler: 'UniPC',
    scheduler: null,
    cfg: 6.5,
    model: 'anything_v4',
    loras: [],
    width: 768,
    height: 768,
    extra: {},
  });
});

test('quoted values keep their commas; other keys land in extra', () => {
  const line =
    'Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1, Size: 512x768, ' +
    'Model hash: abc123, Lora hashes: "film: 1a2b, grain: 3c4d", TI: "a \\"quoted\\" name", Version: v1.10.1';
  expect(settingsPairs(line)).toContainEqual(['Lora hashes', 'film: 1a2b, grain: 3c4d']);
  const g = parseA1111(`a photo <lora:film:0.8> <lora:grain:1>\n${line}`, 'f', false)!;
  expect(g).toMatchObject({
    prompt: 'a photo <lora:film:0.8> <lora:grain:1>',
    negative_prompt: null,
    sampler: 'DPM++ 2M',
    scheduler: 'Karras',
    width: 512,
    height: 768,
    loras: ['film', 'grain'],
    extra: {
      'Model hash': 'abc123',
      'Lora hashes': 'film: 1a2b, grain: 3c4d',
      TI: 'a "quoted" name',
      Version: 'v1.10.1',
    },
  });
});

test('multi-line prompts and negative prompts, CRLF line ends', () => {
  const text =
    'line one\r\nline two\r\nNegative prompt: bad\r\nworse\r\nSteps: 5, Seed: 9, Sampler: Euler';
  expect(parseA1111(text, 'f', false)).toMatchObject({
    prompt: 'line one\nline two',
    negative_prompt: 'bad\nworse',
    steps: 5,
    seed: 9,
  });
});

test('missing parts stay null: no settings, no negative, no prompt', () => {
  expect(parseA1111('just a prompt', 'f', false)).toMatchObject({
    prompt: 'just a prompt',
    negative_prompt: null,
    steps: null,
    seed: null,
  });
  expect(parseA1111('Steps: 20, Sampler: Euler a, Seed: 3', 'f', false)).toMatchObject({
    prompt: null,
    steps: 20,
    sampler: 'Euler a',
  });
  expect(parseA1111('Negative prompt: only this', 'f', false)).toMatchObject({
    prompt: null,
    negative_prompt: 'only this',
  });
  expect(parseA1111('', 'f', false)).toMatchObject({ prompt: null });
});

test('bad values are null, not NaN; a seed past 2^53 keeps its exact digits', () => {
  const g = parseA1111(
    'p\nSteps: many, CFG scale: x, Seed: 18446744073709551615, Size: big',
    'f',
    false,
  )!;
  expect(g).toMatchObject({ steps: null, cfg: null, seed: '18446744073709551615', width: null });
});

test('a prompt line with colons and commas is not mistaken for settings', () => {
  const g = parseA1111('style: oil, mood: calm\nSteps: 4, Seed: 1, Sampler: DDIM', 'f', false)!;
  expect(g.prompt).toBe('style: oil, mood: calm');
  expect(g.steps).toBe(4);
});

test('strict mode (EXIF comments) accepts only text that looks like parameters', () => {
  expect(parseA1111('Shot on a phone', 'exif:UserComment', true)).toBeNull();
  expect(parseA1111('a, b: c', 'exif:UserComment', true)).toBeNull();
  expect(parseA1111(FULL, 'exif:UserComment', true)?.field).toBe('exif:UserComment');
  expect(parseA1111('cat\nNegative prompt: dog', 'x', true)?.negative_prompt).toBe('dog');
});

test('settingsPairs survives unterminated quotes and stray separators', () => {
  expect(settingsPairs(', , Steps: 1,, junk, Seed: "unterminated, still')).toEqual([
    ['Steps', '1'],
    ['Seed', 'unterminated, still'],
  ]);
});
