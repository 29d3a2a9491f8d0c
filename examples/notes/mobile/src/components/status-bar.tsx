/** The sync status line at the bottom of every screen: state, network, pending and rejected changes. */
import { Pressable, Text, View } from 'react-native';
import { useNotesStatus } from '../../../shared/react/context';
import { plural, STATE_LABEL, userMessage } from '../../../shared/text';
import { useOnline } from '../sync-provider';
import { color, styles } from './styles';

const DOT: Record<string, string> = {
  synced: color.ok,
  syncing: color.accent,
  connecting: color.accent,
  offline: color.warn,
  error: color.danger,
};

export function StatusBar(props: { onReview: () => void }) {
  const s = useNotesStatus();
  const online = useOnline();
  const problem =
    s.error && (s.state === 'error' || s.state === 'offline') && online ? userMessage(s.error) : null;
  return (
    <View
      style={styles.statusBar}
      testID="sync-status"
      // Machine-readable for assistive tech and tests: "state synced, 0 pending, 0 rejected, online".
      accessibilityLabel={`state ${s.state}, ${s.pendingUploads} pending, ${s.rejected} rejected, ${online ? 'online' : 'no network'}`}
    >
      <View style={[styles.dot, { backgroundColor: DOT[s.state] ?? color.muted }]} />
      <Text style={{ fontWeight: '700' }} accessibilityLiveRegion="polite">
        {STATE_LABEL[s.state]}
      </Text>
      {!online && <Text style={styles.muted}>No network — changes stay on this phone until it is back.</Text>}
      {s.pendingUploads > 0 && (
        <Text testID="pending-uploads">{plural(s.pendingUploads, 'change')} waiting to upload</Text>
      )}
      {problem && (
        <Text style={styles.muted}>
          {problem.text} <Text style={styles.code}>{problem.code}</Text>
        </Text>
      )}
      {s.rejected > 0 && (
        <Pressable accessibilityRole="button" onPress={props.onReview}>
          <Text style={styles.error}>{plural(s.rejected, 'rejected change')} — Review</Text>
        </Pressable>
      )}
    </View>
  );
}
