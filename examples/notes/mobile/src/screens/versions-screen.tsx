import { useState } from 'react';
import { FlatList, Pressable, Text, View } from 'react-native';
import { useBackend } from '../../../shared/react/context';
import { useDocument, useVersions } from '../../../shared/react/data';
import { useNow } from '../../../shared/react/use-now';
import { timeAgo } from '../../../shared/text';
import { styles } from '../components/styles';
import { Button, ErrorText, Header } from '../components/ui';

/** A document's saved versions, newest first; preview one and restore it (saved as a new version). */
export function VersionsScreen(props: { id: string; onBack: () => void }) {
  const backend = useBackend();
  const { document: doc } = useDocument(props.id);
  const { rows } = useVersions(props.id);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const now = useNow();
  return (
    <View style={styles.body}>
      <Header title="Versions" onBack={props.onBack} backLabel="Document" />
      {error !== null && <ErrorText error={error} />}
      <FlatList
        data={rows}
        keyExtractor={(v) => v.id}
        renderItem={({ item: v, index }) => {
          const same = doc !== null && v.content === doc.content && (v.title ?? '') === (doc.title ?? '');
          return (
            <View style={[styles.row, { flexDirection: 'column', alignItems: 'stretch' }]}>
              <Pressable accessibilityRole="button" onPress={() => setOpen(open === v.id ? null : v.id)}>
                <Text style={styles.docTitle}>Version {v.version}</Text>
                <Text style={styles.rowMeta}>
                  {timeAgo(v.createdAt, now)} ·{' '}
                  {v.deviceId === backend.deviceId ? 'this device' : 'another device'}
                  {index === 0 ? ' · latest' : ''}
                </Text>
              </Pressable>
              {open === v.id && (
                <View style={{ gap: 8, paddingTop: 8 }}>
                  <Text style={{ fontWeight: '600' }}>{v.title?.trim() || 'Untitled'}</Text>
                  <Text>{v.content || 'No content'}</Text>
                  {!same && (
                    <Button
                      label="Restore this version"
                      onPress={() =>
                        void backend
                          .run('saveDocument', props.id, { title: v.title ?? '', content: v.content })
                          .then(props.onBack, setError)
                      }
                    />
                  )}
                </View>
              )}
            </View>
          );
        }}
      />
    </View>
  );
}
