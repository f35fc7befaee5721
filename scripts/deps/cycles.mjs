// Import cycles in a file graph (pure): Tarjan's strongly connected components, each reported as
// one concrete cycle through all of its files where the graph allows, so a reader can follow it.

/**
 * @param {Map<string, Set<string>>} graph file → the files it imports
 * @returns {{ path: string[], others: string[] }[]} one entry per tangle of files that import
 *   each other: `path` is a real cycle in import order (each file imports the next, the last
 *   imports the first), the longest through the tangle's first file; `others` are the tangle's
 *   files that cycle is not long enough to pass through
 */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  const visit = (start) => {
    // Iterative DFS (a long import chain must not overflow the call stack).
    const work = [[start, [...(graph.get(start) ?? [])], 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1);
      const [node, edges] = frame;
      if (frame[2] < edges.length) {
        const to = edges[frame[2]++];
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push([to, [...(graph.get(to) ?? [])], 0]);
        } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work.at(-1)[0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = graph.get(node)?.has(node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components
    .map((component) => cyclePath(graph, component))
    .sort((a, b) => (a.path[0] < b.path[0] ? -1 : 1));
}

/** The longest simple cycle through the component's first file (by name), and the rest. */
function cyclePath(graph, component) {
  const members = new Set(component);
  const first = [...component].sort()[0];
  let best = [first];
  const walk = (path, seen) => {
    const last = path.at(-1);
    for (const to of [...(graph.get(last) ?? [])].sort()) {
      if (!members.has(to)) continue;
      if (to === first && path.length > best.length) best = [...path];
      if (!seen.has(to)) {
        seen.add(to);
        path.push(to);
        walk(path, seen);
        path.pop();
        seen.delete(to);
      }
      if (best.length === members.size) return;
    }
  };
  if (members.size <= 12) walk([first], new Set([first]));
  return { path: best, others: [...members].filter((m) => !best.includes(m)).sort() };
}
