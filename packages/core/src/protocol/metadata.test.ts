import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { metadataAnswerSchema } from './metadata.ts';
import { readMessage } from './read-message.ts';

const generation = {
  source: 'a1111',
  field: 'png:parameters',
  prompt: 'a fox',
  negative_prompt: 'blurry',
  seed: 1302957854,
  steps: 36,
  sampler: 'UniPC',
  scheduler: null,
  cfg: 6.5,
  model: 'anything_v4',
  loras: [],
  width: 768,
  height: 768,
  extra: { 'Model hash': 'abc123' },
};

test('metadata answers: parsed generation settings, none, a seed past 2^53, the original meta', () => {
  // The original's recorded answers (no `generation`, no `warnings`) are not ours.
  const recorded = JSON.parse(
    readFileSync(
      join(import.meta.dirname, '../../../../test/fixtures/original-metadata/metadata.json'),
      'utf8',
    ),
  ).pairs[0].response.body;
  const rows: [string, unknown, boolean][] = [
    ['a1111', { ...recorded, generation, warnings: [] }, true],
    ['no generation', { ...recorded, generation: null, warnings: ['bad CRC in tEXt'] }, true],
    [
      'comfyui seed',
      { ...recorded, generation: { ...generation, seed: '18446744073709551615' }, warnings: [] },
      true,
    ],
    ['the original answer', recorded, false],
    [
      'a missing fact',
      { ...recorded, generation: { ...generation, cfg: undefined }, warnings: [] },
      false,
    ],
    [
      'a non-canonical path',
      { ...recorded, path: 'a/b.png', generation: null, warnings: [] },
      false,
    ],
  ];
  for (const [title, answer, ok] of rows) {
    expect(readMessage(metadataAnswerSchema, answer).ok, title).toBe(ok);
  }
});
