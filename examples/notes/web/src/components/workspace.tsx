import { useEffect, useRef, useState } from 'react';
import type { View } from '../../../shared/data/view.js';
import { useSession } from '../../../shared/react/context.js';
import { useGroups, useProjects } from '../../../shared/react/data.js';
import { ConflictDialog } from './conflict-dialog.js';
import { DocumentList } from './document-list.js';
import { Editor } from './editor.js';
import { QuarantineBanner } from './quarantine-banner.js';
import { Sidebar } from './sidebar.js';
import { StatusBar } from './status-bar.js';
import { TopBar } from './top-bar.js';

/** Which pane a phone shows (wider screens show all three side by side). */
type Pane = 'nav' | 'list' | 'editor';

/** The signed-in app: sidebar (projects, groups), document list, editor with versions, status bar. */
export function Workspace() {
  const session = useSession();
  const [view, setView] = useState<View>({ kind: 'all' });
  const [selected, setSelected] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>('list');
  const projects = useProjects();
  const { groups } = useGroups();

  // A project or group deleted (here or on another device) stops being the current view. (Only one that
  // was listed before: a project just created is the view before the live query lists it.)
  const listed = useRef(new Set<string>());
  useEffect(() => {
    const ids = new Set([...projects.rows.map((p) => p.id), ...groups.map((g) => g.id)]);
    if (
      (view.kind === 'project' || view.kind === 'group') &&
      listed.current.has(view.id) &&
      !ids.has(view.id)
    ) {
      setView({ kind: 'all' });
    }
    for (const id of ids) listed.current.add(id);
  }, [view, projects.rows, groups]);

  if (!session) return null;
  return (
    <div className="app">
      <TopBar session={session} />
      <QuarantineBanner />
      <div className="panes" data-pane={pane}>
        <Sidebar
          view={view}
          onView={(v) => {
            setView(v);
            setSelected(null);
            setPane('list');
          }}
          projects={projects.rows}
          groups={groups}
        />
        <DocumentList
          view={view}
          projects={projects.rows}
          groups={groups}
          selected={selected}
          onSelect={(id) => {
            setSelected(id);
            setPane('editor');
          }}
          onMenu={() => setPane('nav')}
        />
        <Editor
          key={selected ?? 'none'}
          documentId={selected}
          projects={projects.rows}
          groups={groups}
          onClose={() => {
            setSelected(null);
            setPane('list');
          }}
          onBack={() => setPane('list')}
        />
      </div>
      <StatusBar />
      <ConflictDialog />
    </div>
  );
}
