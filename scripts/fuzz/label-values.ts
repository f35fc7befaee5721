/**
 * Label values for request bodies: tags, stars, metrics and whole patches, mostly valid and
 * sometimes of the wrong type, size or shape.
 */
import fc from 'fast-check';
import { anyString, hostilePaths, REAL_PATHS, UNICODE } from './values.ts';

const tag = fc.oneof(
  fc.constantFrom('keep', 'café', 'cafe\u0301', '猫', 'مرحبا', '🌅', ' spaced ', ''),
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('\ud800', 'x'.repeat(129), '\u0000', 'a\nb'),
);
export const tags = fc.oneof(
  { weight: 4, arbitrary: fc.array(tag, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.array(tag, { minLength: 250, maxLength: 400 }) },
);
export const wrong = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constant(null),
  fc.constant('5'),
  fc.constant(1.5),
);
export const maybeWrong = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: wrong });

export const star = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null), fc.integer());
export const metrics = fc.dictionary(
  fc.oneof(fc.constantFrom('score', 'iou', 'a.b:c-d_e'), fc.string({ maxLength: 70 })),
  fc.oneof(fc.double(), fc.constant(null), fc.constant(1e308), wrong),
  { maxKeys: 5 },
);

export const patch = fc.record(
  {
    base_version: maybeWrong(fc.integer({ min: 0, max: 20 })),
    set_star: maybeWrong(star),
    set_notes: maybeWrong(fc.oneof(anyString, fc.constant('n'.repeat(20_001)))),
    set_tags: maybeWrong(tags),
    add_tags: maybeWrong(tags),
    remove_tags: maybeWrong(tags),
    set_metrics: maybeWrong(metrics),
    unknown_field: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

export function pathValue(outside: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...REAL_PATHS) },
    { weight: 2, arbitrary: fc.constantFrom(...hostilePaths(outside), ...UNICODE) },
    { weight: 1, arbitrary: anyString },
  );
}
