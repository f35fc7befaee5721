/** The page: top bar, banners, folder tree, grid, inspector, and the overlays. */
import { useSignalEffect } from '@preact/signals';
import { Banners } from './Banners.tsx';
import { useApp } from './context.ts';
import { IdentityDialog, ShortcutsDialog, TokenPage } from './Dialogs.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { FolderTree } from './FolderTree.tsx';
import { Grid } from './Grid.tsx';
import { Inspector } from './Inspector.tsx';
import { TopBar } from './TopBar.tsx';
import { Viewer } from './Viewer.tsx';

export function App() {
  const app = useApp();
  if (app.unauthorized.value) return <TokenPage />;
  return (
    <div class={`app${app.ui.inspector.value ? '' : ' no-insp'}`}>
      <TopBar />
      {app.ui.filters.value && <FilterPanel />}
      <Banners />
      <div class="main">
        <FolderTree />
        <Grid />
        {app.ui.inspector.value && <Inspector />}
      </div>
      {app.ui.viewer.value && <Viewer />}
      {app.ui.shortcuts.value && <ShortcutsDialog />}
      {app.identity.prompting.value && <IdentityDialog />}
      <Toast />
    </div>
  );
}

function Toast() {
  const app = useApp();
  const t = app.toast.value;
  useSignalEffect(() => {
    const current = app.toast.value;
    if (!current) return;
    const timer = setTimeout(() => {
      if (app.toast.peek() === current) app.toast.value = null;
    }, 2_500);
    return () => clearTimeout(timer);
  });
  return t ? (
    <div class="toast" role="status">
      {t.text}
    </div>
  ) : null;
}
