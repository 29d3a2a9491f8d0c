import type { SyncRejection } from '@syncline/client';
import { useEffect, useState } from 'react';
import { FlatList, Text, View } from 'react-native';
import { documentConflicts, resolveConflict } from '../../../shared/data/conflicts';
import { useBackend, useNotesStatus } from '../../../shared/react/context';
import { rejectionText, timeAgo } from '../../../shared/text';
import { styles } from '../components/styles';
import { Button, ErrorText, Header } from '../components/ui';

/**
 * Changes the server refused: why, in plain words (the code after it); retry or discard each. An edit that lost
 * against another device's shows both texts: keep mine (saved again on top) or keep theirs.
 */
export function RejectionsScreen(props: { onBack: () => void }) {
  const backend = useBackend();
  const { rejected } = useNotesStatus();
  const [items, setItems] = useState<SyncRejection[]>([]);
  const [error, setError] = useState<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload whenever the count changes
  useEffect(() => {
    let live = true;
    backend.rejections.list().then((r) => live && setItems(r), setError);
    return () => {
      live = false;
    };
  }, [backend, rejected]);
  const conflicts = documentConflicts(items);
  const inConflict = new Set(conflicts.flatMap((c) => c.rejectionIds));
  const rest = items.filter((r) => !inConflict.has(r.id));
  return (
    <View style={styles.body}>
      <Header title="Rejected changes" onBack={props.onBack} backLabel="Notes" />
      <View style={styles.section}>
        <Text style={styles.muted}>
          The server refused these changes, so they are not on your other devices.
        </Text>
        {error !== null && <ErrorText error={error} />}
      </View>
      {conflicts.map((c) => (
        <View
          key={c.rejectionIds[0]}
          style={[styles.row, { flexDirection: 'column', alignItems: 'stretch', gap: 6 }]}
        >
          <Text style={styles.rowTitle}>
            “{c.theirs.title || c.mine.title || 'Untitled'}” was changed on another device
          </Text>
          <Text style={styles.rowMeta}>Mine (this device)</Text>
          <Text testID="conflict-mine">{c.mine.content}</Text>
          <Text style={styles.rowMeta}>Theirs (on the server)</Text>
          <Text testID="conflict-theirs">{c.theirs.content}</Text>
          <View style={{ flexDirection: 'row', gap: 8 }}>
            <Button
              label="Keep mine"
              onPress={() => void resolveConflict(backend, c, 'mine').catch(setError)}
            />
            <Button
              label="Keep theirs"
              onPress={() => void resolveConflict(backend, c, 'theirs').catch(setError)}
            />
          </View>
        </View>
      ))}
      <FlatList
        data={rest}
        keyExtractor={(r) => r.id}
        ListEmptyComponent={<Text style={[styles.section, styles.muted]}>Nothing left to review.</Text>}
        renderItem={({ item: r }) => (
          <View style={[styles.row, { flexDirection: 'column', alignItems: 'stretch', gap: 6 }]}>
            <Text>
              {rejectionText(r.code, r.message)} <Text style={styles.code}>{r.code}</Text>
            </Text>
            <Text style={styles.rowMeta}>{timeAgo(r.rejectedAt)}</Text>
            <View style={{ flexDirection: 'row', gap: 8 }}>
              <Button label="Retry" onPress={() => void backend.rejections.retry(r.id).catch(setError)} />
              <Button
                label="Discard"
                kind="danger"
                onPress={() => void backend.rejections.discard(r.id).catch(setError)}
              />
            </View>
          </View>
        )}
      />
    </View>
  );
}
