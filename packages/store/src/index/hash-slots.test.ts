import fc from 'fast-check';
import { expect, test } from 'vitest';
import { HashSlots } from './hash-slots.ts';

/** Operations on a few keys whose low lanes collide often (long probes, tombstones reused). */
const op = fc.record({
  kind: fc.constantFrom('set', 'keep', 'delete'),
  hi: fc.integer({ min: 0, max: 3 }),
  lo: fc.integer({ min: 0, max: 40 }).map((n) => (n % 5) * 1024 + (n >> 3)),
  seq: fc.integer({ min: 1, max: 50 }),
  tag: fc.integer(),
});

test('set, set without overwriting and deleteIf behave as a map of (hi, lo) entries', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      const slots = new HashSlots(16);
      const model = new Map<string, { seq: number; tag: number; mode: number }>();
      for (const [n, o] of ops.entries()) {
        const id = `${o.hi}/${o.lo}`;
        const mode = n % 4;
        if (o.kind === 'delete') {
          slots.deleteIf(o.hi, o.lo, o.seq);
          if (model.get(id)?.seq === o.seq) model.delete(id);
        } else {
          slots.set(o.hi, o.lo, o.seq, o.tag, mode, o.kind === 'set');
          if (o.kind === 'set' || !model.has(id)) model.set(id, { seq: o.seq, tag: o.tag, mode });
        }
      }
      expect(slots.size).toBe(model.size);
      for (let hi = 0; hi <= 3; hi++) {
        for (let n = 0; n <= 40; n++) {
          const lo = (n % 5) * 1024 + (n >> 3);
          const slot = slots.find(hi, lo);
          const want = model.get(`${hi}/${lo}`);
          if (!want) expect(slot).toBe(-1);
          else {
            expect(slot).not.toBe(-1);
            expect([slots.seqAt(slot), slots.tagAt(slot), slots.modeAt(slot)]).toEqual([
              want.seq,
              want.tag,
              want.mode,
            ]);
          }
        }
      }
    }),
    { numRuns: 300 },
  );
});
