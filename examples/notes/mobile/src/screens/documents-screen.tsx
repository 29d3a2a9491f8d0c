import { useState } from 'react';
import { FlatList, Pressable, Text, TextInput, View } from 'react-native';
import { queryOnce } from '../../../shared/backend';
import type { View as NotesView } from '../../../shared/data/view';
import { useBackend, useNotesStatus } from '../../../shared/react/context';
import { useDocuments } from '../../../shared/react/data';
import { useLatestAsync } from '../../../shared/react/live';
import { useNow } from '../../../shared/react/use-now';
import { plural, timeAgo } from '../../../shared/text';
import { styles } from '../components/styles';
import { Button, ErrorText, Header } from '../components/ui';

/**
 * The documents of a view (all, a project, a group, the trash), searchable, each with its number of saved
 * versions. The counts are an async step after the live query (another query per result), so a slow step
 * for an old result (an earlier search, or the previous account's data before a switch) must never
 * overwrite the newer one: `useLatestAsync` keeps only the latest run for the latest database version.
 */
export function DocumentsScreen(props: {
  view: NotesView;
  title: string;
  onBack: () => void;
  onOpen: (id: string) => void;
}) {
  const backend = useBackend();
  const status = useNotesStatus();
  const [search, setSearch] = useState('');
  const [error, setError] = useState<unknown>(null);
  const docs = useDocuments(props.view, search);
  const now = useNow();
  const withCounts = useLatestAsync(docs.rows, async (rows) => {
    const counts = new Map(
      (await queryOnce(backend, 'versionCounts', undefined)).map((c) => [c.documentId, c.n]),
    );
    return rows.map((d) => ({ ...d, versions: counts.get(d.id) ?? 0 }));
  });
  const list = withCounts.value ?? docs.rows.map((d) => ({ ...d, versions: null as number | null }));
  const { view } = props;

  async function create() {
    try {
      const id = await backend.run('createDocument', {
        title: '',
        projectId: view.kind === 'project' ? view.id : null,
        groupId: view.kind === 'group' ? view.id : null,
      });
      props.onOpen(id);
    } catch (e) {
      setError(e);
    }
  }

  const firstSync =
    status.lastSyncedAt === null && (status.state === 'syncing' || status.state === 'connecting');
  return (
    <View style={styles.body}>
      <Header title={props.title} onBack={props.onBack} backLabel="Notes">
        {view.kind !== 'trash' && (
          <Button
            kind="primary"
            label="New"
            accessibilityLabel="New document"
            onPress={() => void create()}
          />
        )}
      </Header>
      <View style={styles.section}>
        <TextInput
          style={styles.input}
          accessibilityLabel="Search documents"
          placeholder="Search"
          value={search}
          onChangeText={setSearch}
        />
        {error !== null && <ErrorText error={error} />}
        {docs.error !== null && <ErrorText error={docs.error} />}
      </View>
      <FlatList
        data={list}
        keyExtractor={(d) => d.id}
        renderItem={({ item: d }) => (
          <Pressable
            accessibilityRole="button"
            accessibilityLabel={d.title?.trim() || 'Untitled'}
            testID="doc-item"
            style={[styles.row, { flexDirection: 'column', alignItems: 'stretch', gap: 2 }]}
            onPress={() => props.onOpen(d.id)}
          >
            <Text style={styles.docTitle} numberOfLines={1} testID="doc-title">
              {d.title?.trim() || 'Untitled'}
            </Text>
            <Text style={styles.snippet} numberOfLines={1}>
              {d.content.slice(0, 120) || 'No content'}
            </Text>
            <Text style={styles.rowMeta}>
              {timeAgo(view.kind === 'trash' ? d.deletedAt : d.updatedAt, now)}
              {d.versions !== null ? ` · ${plural(d.versions, 'version')}` : ''}
            </Text>
          </Pressable>
        )}
        ListEmptyComponent={
          docs.loading ? null : (
            <View style={styles.empty}>
              <Text style={{ fontWeight: '600' }}>
                {search
                  ? `No documents match “${search}”.`
                  : firstSync
                    ? 'Loading your documents…'
                    : view.kind === 'trash'
                      ? 'The trash is empty.'
                      : 'No documents yet'}
              </Text>
              {!search && !firstSync && view.kind !== 'trash' && (
                <Text style={styles.muted}>
                  Create one — it is saved on this phone at once and synced to your others.
                </Text>
              )}
            </View>
          )
        }
      />
    </View>
  );
}
