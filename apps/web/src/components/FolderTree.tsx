/** Sidebar: folders with recursive counts (expand on demand) and saved views. */
import type { CanonicalPath } from '@lenslet/core';
import { formatCount } from '../format.ts';
import { savedViewSearch } from '../models/original-link.ts';
import { useApp } from './context.ts';

function Folder({ path, name, depth }: { path: string; name: string; depth: number }) {
  const app = useApp();
  const node = app.tree.node(path);
  const open = app.tree.isOpen(path);
  const count = app.tree.count(path);
  const current = app.view.value.folder === path;
  const leaf = node !== undefined && node.folders.length === 0;
  return (
    <li>
      <div
        class={`folder${current ? ' current' : ''}`}
        style={{ paddingLeft: `${depth * 12 + 4}px` }}
      >
        <button
          type="button"
          class="twisty"
          aria-label={open ? 'Collapse' : 'Expand'}
          style={{ visibility: leaf ? 'hidden' : 'visible' }}
          onClick={() => app.tree.toggle(path)}
        >
          {open ? '▾' : '▸'}
        </button>
        <button type="button" class="fname" onClick={() => app.openFolder(path as CanonicalPath)}>
          {name}
        </button>
        {count !== null && <span class="fcount">{formatCount(count)}</span>}
      </div>
      {open && node && node.folders.length > 0 && (
        <ul>
          {node.folders.map((f) => (
            <Folder
              key={f.name}
              path={path === '/' ? `/${f.name}` : `${path}/${f.name}`}
              name={f.name}
              depth={depth + 1}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

export function FolderTree() {
  const app = useApp();
  const views = app.savedViews.views.value;
  return (
    <nav class="sidebar" aria-label="Folders">
      <ul class="tree">
        <Folder path="/" name="All images" depth={0} />
      </ul>
      <h3>Saved views</h3>
      {views.length === 0 && <p class="dim small">Filters → "Save this view as…"</p>}
      <ul class="views">
        {views.map((v) => (
          <li key={v.id}>
            <button
              type="button"
              class="fname"
              onClick={() => app.fromUrl(savedViewSearch(v.pool, v.view))}
              title={v.pool.path}
            >
              {v.name}
            </button>
            <button
              type="button"
              class="x"
              title="Delete this saved view"
              onClick={() => app.savedViews.remove(v.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
