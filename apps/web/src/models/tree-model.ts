/**
 * The folder tree: children and recursive counts per folder, loaded when a folder is expanded,
 * refreshed when the server says a folder changed. Signals only: no effects or timers.
 */
import type { CanonicalPath } from '@lenslet/core';
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Api, FolderInfo } from '../api.ts';
import type { Report } from './errors-model.ts';

export type TreeNode = { readonly folders: readonly FolderInfo[]; readonly direct: number };

export type Tree = ReturnType<typeof createTree>;

export function createTree(api: Pick<Api, 'folder'>, report: Report) {
  const nodes = signal<ReadonlyMap<string, TreeNode>>(new Map());
  const expanded = signal<ReadonlySet<string>>(new Set(['/']));

  const load = async (path: string) => {
    try {
      const listing = await api.folder(path);
      const next = new Map(nodes.peek());
      next.set(path, { folders: listing.folders, direct: listing.total_items });
      nodes.value = next;
    } catch (error) {
      report('Loading the folder tree', error, 'background');
    }
  };

  return {
    nodes: nodes as ReadonlySignal<ReadonlyMap<string, TreeNode>>,
    expanded: expanded as ReadonlySignal<ReadonlySet<string>>,
    /** The loaded folder `path` (reactive), or undefined before it loads. */
    node: (path: string): TreeNode | undefined => nodes.value.get(path),
    /** Is `path` expanded (reactive)? */
    isOpen: (path: string): boolean => expanded.value.has(path),
    load,
    /** Expand/collapse; loads children the first time. */
    toggle(path: string): void {
      const next = new Set(expanded.peek());
      if (next.has(path)) next.delete(path);
      else {
        next.add(path);
        if (!nodes.peek().has(path)) void load(path);
      }
      expanded.value = next;
    },
    /** Show `path`: expand and load every ancestor. */
    reveal(path: CanonicalPath): void {
      const next = new Set(expanded.peek());
      let prefix = '';
      for (const part of ['/', ...path.split('/').filter(Boolean)]) {
        prefix = part === '/' ? '/' : prefix === '/' ? `/${part}` : `${prefix}/${part}`;
        next.add(prefix);
        if (!nodes.peek().has(prefix)) void load(prefix);
      }
      expanded.value = next;
    },
    /** Reload the loaded folders (a folder-updated event, or polling). */
    refresh(): void {
      for (const path of nodes.peek().keys()) void load(path);
    },
    /** Recursive count of a folder, when known from its parent. */
    count(path: string): number | null {
      if (path === '/') {
        const root = nodes.peek().get('/');
        return root ? root.direct + root.folders.reduce((n, f) => n + f.count, 0) : null;
      }
      const i = path.lastIndexOf('/');
      const parent = nodes.peek().get(i === 0 ? '/' : path.slice(0, i));
      return parent?.folders.find((f) => f.name === path.slice(i + 1))?.count ?? null;
    },
  };
}
