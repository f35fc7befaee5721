/**
 * The fan-out in slices (sse-fanout.ts), with fake sockets and a small `fanout_slice`: a pass
 * serves that many streams per event-loop turn, events that arrive during a pass join it for the
 * streams it has not reached, and every stream still gets every event once and in order.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { FakeSink } from './fake-sse-sink.ts';
import { MAX_SLICES } from './sse-fanout.ts';
import { hubPerTest, nextTurn, store, write } from './sse-hub-test-kit.ts';

const newHub = hubPerTest();
/** The end of the current turn: the hub's flush (queued with process.nextTick) has run. */
const endOfTurn = () => new Promise<void>((resolve) => process.nextTick(resolve));

const ids = (sink: FakeSink) =>
  (sink.text().match(/^id: \d+$/gm) ?? []).map((l) => Number(l.slice(4)));
const revisions = (sink: FakeSink) =>
  (sink.text().match(/"revision":\d+/g) ?? []).map((m) => Number(m.slice(11)));

async function sliced(count: number, slice: number) {
  const s = store();
  const hub = newHub(s, () => [], { fanout_slice: slice });
  const sinks = Array.from({ length: count }, () => new FakeSink());
  for (const sink of sinks) await hub.open(sink, { last_event_id: null, log_id: null });
  for (let i = 0; i < count; i++) await nextTurn();
  for (const sink of sinks) sink.writes.length = 0;
  return { s, hub, sinks };
}

test('a pass serves `fanout_slice` streams per turn, the same shared Buffer to each', async () => {
  const { s, sinks } = await sliced(5, 2);
  await write(s);
  await endOfTurn();
  // The durable batch's turn ended: the first slice is written, the others wait for the I/O.
  expect(sinks.map((sink) => sink.writes.length)).toEqual([1, 1, 0, 0, 0]);
  await nextTurn();
  expect(sinks.map((sink) => sink.writes.length)).toEqual([1, 1, 1, 1, 0]);
  await nextTurn();
  for (const sink of sinks) {
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]!.chunk).toBe(sinks[0]!.writes[0]!.chunk);
  }
});

test('a pass takes at most MAX_SLICES turns: its slices grow past `fanout_slice` to keep to it', async () => {
  const { s, sinks } = await sliced(4 * MAX_SLICES, 1);
  await write(s);
  await endOfTurn();
  const written = () => sinks.filter((sink) => sink.writes.length === 1).length;
  expect(written()).toBe(4);
  for (let turn = 2; turn <= MAX_SLICES; turn++) {
    await nextTurn();
    expect(written()).toBe(4 * turn);
  }
});

test('events that arrive during a pass join it for the streams it has not reached yet', async () => {
  const { s, hub, sinks } = await sliced(3, 1);
  const [first, second, third] = sinks as [FakeSink, FakeSink, FakeSink];
  await write(s);
  await endOfTurn();
  expect(first.writes).toHaveLength(1);
  hub.broadcast('views-updated', { revision: 1 });
  await write(s);
  await nextTurn();
  // The second stream takes record 1, the broadcast and record 2 in ONE write.
  expect(second.writes).toHaveLength(1);
  expect(ids(second)).toEqual([1, 2]);
  expect(revisions(second)).toEqual([1]);
  await nextTurn();
  await nextTurn();
  expect(third.writes).toHaveLength(1);
  expect(third.writes[0]!.chunk).toBe(second.writes[0]!.chunk);
  // The first stream, passed before they came, gets them in the next pass.
  expect(first.writes).toHaveLength(2);
  for (const sink of sinks) {
    expect(ids(sink)).toEqual([1, 2]);
    expect(revisions(sink)).toEqual([1]);
  }
});

test('every stream sees every record and broadcast once, in order, whatever the slices and timing', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.constantFrom('write', 'broadcast', 'open', 'turn', 'lag', 'catch-up'), {
        minLength: 1,
        maxLength: 40,
      }),
      async (slice, steps) => {
        const s = store();
        const hub = newHub(s, () => [], { fanout_slice: slice });
        const sinks: FakeSink[] = [];
        /** The last broadcast before each stream opened. */
        const openedAfter: number[] = [];
        let revision = 0;
        const open = async () => {
          const sink = new FakeSink();
          sinks.push(sink);
          openedAfter.push(revision);
          await hub.open(sink, { last_event_id: 0, log_id: s.log_id });
        };
        await open();
        let writes = 0;
        for (const step of steps) {
          if (step === 'write') {
            writes += 1;
            await write(s);
          } else if (step === 'broadcast') hub.broadcast('views-updated', { revision: ++revision });
          else if (step === 'open') await open();
          else if (step === 'turn') await nextTurn();
          else if (step === 'lag') sinks[writes % sinks.length]!.lagging = true;
          else for (const sink of sinks) sink.finishWrites();
        }
        for (const sink of sinks) sink.lagging = false;
        for (let i = 0; i < sinks.length + 4; i++) {
          for (const sink of sinks) sink.finishWrites();
          await nextTurn();
        }
        const all = Array.from({ length: writes }, (_, i) => i + 1);
        sinks.forEach((sink, i) => {
          expect(ids(sink)).toEqual(all);
          // Every broadcast made after the stream opened, each once, in order; none before.
          const from = openedAfter[i]!;
          expect(revisions(sink)).toEqual(
            Array.from({ length: revision - from }, (_, k) => from + k + 1),
          );
        });
        await hub.close();
      },
    ),
    { numRuns: 150 },
  );
});
