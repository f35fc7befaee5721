/** The page: top bar, banners, folder tree, metrics panel, grid, inspector, and the overlays. */
import { Banners } from './Banners.tsx';
import { useApp } from './context.ts';
import { IdentityDialog, ShortcutsDialog, TokenPage } from './Dialogs.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { FolderTree } from './FolderTree.tsx';
import { Grid } from './Grid.tsx';
import { Inspector } from './Inspector.tsx';
import { hasFacets, MetricsPanel } from './MetricsPanel.tsx';
import { TopBar } from './TopBar.tsx';
import { Viewer } from './Viewer.tsx';

export function App() {
  const app = useApp();
  if (app.server.unauthorized.value) return <TokenPage />;
  const metrics = app.preferences.metrics.value && hasFacets(app.metrics.fields.value);
  return (
    <div
      class={`app${app.preferences.inspector.value ? '' : ' no-insp'}${metrics ? ' with-metrics' : ''}`}
    >
      <TopBar />
      {app.ui.filters.value && <FilterPanel />}
      <Banners />
      <div class="main">
        <FolderTree />
        {metrics && <MetricsPanel />}
        <Grid />
        {app.preferences.inspector.value && <Inspector />}
      </div>
      {app.ui.viewer.value && <Viewer />}
      {app.ui.shortcuts.value && <ShortcutsDialog />}
      {app.identity.prompting.value && <IdentityDialog />}
      <Toast />
    </div>
  );
}

/** The short message of `ui.say` (the ui model takes it away after 2.5 s). */
function Toast() {
  const t = useApp().ui.toast.value;
  return t ? (
    <div class="toast" role="status">
      {t.text}
    </div>
  ) : null;
}
