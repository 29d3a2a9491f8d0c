import { useState } from 'react';
import { Pressable, ScrollView, Text, TextInput, View } from 'react-native';
import { checkName } from '../../../shared/data/actions';
import type { View as NotesView } from '../../../shared/data/view';
import { useBackend, useNotesStatus, useSession } from '../../../shared/react/context';
import { useAccess, useGroups, useProjectCounts, useProjects } from '../../../shared/react/data';
import { plural, userMessage } from '../../../shared/text';
import { color, styles } from '../components/styles';
import { Button, ErrorText, Header } from '../components/ui';

/** Projects, groups, all documents and the trash; the account (sign out); set-aside changes. */
export function HomeScreen(props: { onOpen: (view: NotesView, title: string) => void }) {
  const backend = useBackend();
  const session = useSession();
  const projects = useProjects();
  const { groups } = useGroups();
  const counts = useProjectCounts();
  const access = useAccess(projects.rows);
  const [accountOpen, setAccountOpen] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);

  async function addProject() {
    let clean: string;
    try {
      clean = checkName(name, 'project');
    } catch (e) {
      setProblem(userMessage(e).text); // say why nothing happened
      return;
    }
    setProblem(null);
    try {
      const id = await backend.run('createProject', clean);
      setName('');
      props.onOpen({ kind: 'project', id }, clean);
    } catch (e) {
      setError(e);
    }
  }

  const row = (
    view: NotesView,
    label: string,
    count?: number,
    dot?: string | null,
    depth = 0,
    badge?: string,
  ) => (
    <Pressable
      key={'id' in view ? view.id : view.kind}
      accessibilityRole="button"
      accessibilityLabel={label}
      style={[styles.row, { paddingLeft: 12 + depth * 16 }]}
      onPress={() => props.onOpen(view, label)}
    >
      {dot !== undefined && <View style={[styles.dot, { backgroundColor: dot ?? color.muted }]} />}
      <Text style={styles.rowTitle} numberOfLines={1}>
        {label}
      </Text>
      {badge ? <Text style={styles.rowMeta}>{badge}</Text> : null}
      {count ? <Text style={styles.rowMeta}>{count}</Text> : null}
      <Text style={styles.muted}>›</Text>
    </Pressable>
  );

  return (
    <View style={styles.body}>
      <Header title="Syncline Notes">
        <Pressable
          accessibilityRole="button"
          accessibilityLabel="Account"
          onPress={() => setAccountOpen((o) => !o)}
        >
          <Text style={styles.link}>{session?.email}</Text>
        </Pressable>
      </Header>
      {accountOpen && (
        <View style={[styles.section, { backgroundColor: color.panel }]} accessibilityLabel="Account menu">
          <Button label="Sign out" onPress={() => void backend.auth.signOut().catch(setError)} />
          <Button
            label="Sign out and remove local data"
            kind="danger"
            onPress={() => void backend.auth.signOut({ clearData: true }).catch(setError)}
          />
        </View>
      )}
      <QuarantineBanner />
      <ScrollView>
        {error !== null && (
          <View style={styles.section}>
            <ErrorText error={error} />
          </View>
        )}
        {row({ kind: 'all' }, 'All documents', total)}
        <View style={styles.section}>
          <Text style={styles.sectionTitle}>Projects</Text>
        </View>
        {projects.rows.map((p) => {
          const a = access.project(p);
          return row(
            { kind: 'project', id: p.id },
            p.name,
            counts.get(p.id),
            undefined,
            0,
            a === 'owner' ? undefined : `shared · ${a}`,
          );
        })}
        <View style={[styles.section, { flexDirection: 'row', alignItems: 'center' }]}>
          <TextInput
            style={[styles.input, { flex: 1 }]}
            accessibilityLabel="New project name"
            placeholder="New project"
            value={name}
            onChangeText={(t) => {
              setName(t);
              setProblem(null);
            }}
            onSubmitEditing={() => void addProject()}
          />
          <Button label="Add" onPress={() => void addProject()} accessibilityLabel="Add project" />
        </View>
        {problem && (
          <Text style={[styles.error, { paddingHorizontal: 12 }]} accessibilityRole="alert">
            {problem}
          </Text>
        )}
        <View style={styles.section}>
          <Text style={styles.sectionTitle}>Groups</Text>
          {groups.length === 0 && (
            <Text style={styles.muted}>No groups yet (create them in the web app).</Text>
          )}
        </View>
        {groups.map((g) => row({ kind: 'group', id: g.id }, g.name, undefined, g.color, g.depth))}
        <View style={styles.section} />
        {row({ kind: 'trash' }, 'Trash')}
      </ScrollView>
    </View>
  );
}

/** Unsynced changes of this account set aside when another account signed in on this phone. */
function QuarantineBanner() {
  const backend = useBackend();
  const { quarantined, state } = useNotesStatus();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (quarantined === 0 && !message) return null;
  return (
    <View
      style={[styles.section, styles.notice]}
      accessibilityLabel="Unsynced changes from an earlier session"
    >
      {quarantined > 0 ? (
        <>
          <Text>
            {plural(quarantined, 'unsynced change')} from your earlier session on this phone{' '}
            {quarantined === 1 ? 'was' : 'were'} kept aside when another account signed in.
          </Text>
          {error !== null && <ErrorText error={error} />}
          <View style={{ flexDirection: 'row', gap: 8 }}>
            <Button
              label="Restore"
              disabled={state !== 'synced'}
              onPress={() =>
                void backend.quarantine
                  .restore()
                  .then((r) => setMessage(`Restored ${plural(r.restored, 'change')}.`), setError)
              }
            />
            <Button
              label="Discard"
              kind="danger"
              onPress={() => void backend.quarantine.discard().catch(setError)}
            />
          </View>
        </>
      ) : (
        <View style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
          <Text style={{ flex: 1 }}>{message}</Text>
          <Button label="Dismiss" onPress={() => setMessage(null)} />
        </View>
      )}
    </View>
  );
}
