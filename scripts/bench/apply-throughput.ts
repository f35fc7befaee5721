/** The write load the store benchmarks share: `callers` concurrent loops of single applies. */
import type { CanonicalPath } from '@lenslet/core';
import type { LabelStore } from '@lenslet/store';

/** applies/s for `callers` concurrent loops during `seconds`. */
export async function applyThroughput(
  store: LabelStore,
  callers: number,
  tag: string,
  seconds: number,
): Promise<number> {
  let done = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async (id: number) => {
    while (performance.now() < deadline) {
      const i = n++;
      // A realistic mix that never grows without bound: metric updates, tags on and off.
      const kind = i % 3;
      const patch =
        kind === 0
          ? { set_metrics: { score: i } }
          : kind === 1
            ? { add_tags: [`t${i % 7}`] }
            : { remove_tags: [`t${(i + 3) % 7}`] };
      await store.apply(
        { path: `/t/${tag}-${i % 5000}.jpg` as CanonicalPath, patch },
        {
          actor: 'bench',
          mutation_id: `${tag}-${id}-${i}`,
          mode: kind === 0 ? 'metrics' : 'patch',
        },
      );
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, (_, id) => loop(id)));
  return (done * 1000) / (performance.now() - started);
}
