/**
 * The notes app on Expo / React Native (and its web target). Screens: sign-in, home (projects, groups),
 * documents, editor, versions, rejected changes; the sync status at the bottom. Navigation is a small
 * stack (Android's back button pops it).
 */
import { useCallback, useEffect, useState } from 'react';
import { ActivityIndicator, BackHandler, Platform, SafeAreaView, Text } from 'react-native';
import type { View as NotesView } from '../../shared/data/view';
import { useNotesStatus, useSession } from '../../shared/react/context';
import { StatusBar } from './components/status-bar';
import { styles } from './components/styles';
import { ErrorText } from './components/ui';
import { AuthScreen } from './screens/auth-screen';
import { DocumentsScreen } from './screens/documents-screen';
import { EditorScreen } from './screens/editor-screen';
import { HomeScreen } from './screens/home-screen';
import { RejectionsScreen } from './screens/rejections-screen';
import { VersionsScreen } from './screens/versions-screen';
import { SyncProvider } from './sync-provider';

type Route =
  | { name: 'home' }
  | { name: 'documents'; view: NotesView; title: string }
  | { name: 'editor'; id: string }
  | { name: 'versions'; id: string }
  | { name: 'rejections' };

export function App() {
  return (
    <SafeAreaView style={styles.screen}>
      <SyncProvider>
        <Notes />
      </SyncProvider>
    </SafeAreaView>
  );
}

function Notes() {
  const session = useSession();
  const status = useNotesStatus();
  if (!session) return <AuthScreen />;
  // Never show another user's data: wait until the local data belongs to the signed-in user.
  if ((status.userId !== null && status.userId !== session.userId) || status.switching) {
    return (
      <SafeAreaView style={styles.splash} accessibilityLiveRegion="polite">
        <ActivityIndicator />
        <Text>Opening {session.email}’s notes…</Text>
        {status.state === 'error' && status.error && <ErrorText error={status.error} />}
      </SafeAreaView>
    );
  }
  return <Signedin key={session.userId} />;
}

function Signedin() {
  const [stack, setStack] = useState<Route[]>([{ name: 'home' }]);
  const push = (r: Route) => setStack((s) => [...s, r]);
  const pop = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  useEffect(() => {
    if (Platform.OS === 'web') return; // the browser has its own back button
    const sub = BackHandler.addEventListener('hardwareBackPress', () => {
      if (stack.length <= 1) return false;
      pop();
      return true;
    });
    return () => sub.remove();
  }, [stack.length, pop]);
  const route = stack[stack.length - 1]!;
  return (
    <>
      {route.name === 'home' && (
        <HomeScreen onOpen={(view, title) => push({ name: 'documents', view, title })} />
      )}
      {route.name === 'documents' && (
        <DocumentsScreen
          view={route.view}
          title={route.title}
          onBack={pop}
          onOpen={(id) => push({ name: 'editor', id })}
        />
      )}
      {route.name === 'editor' && (
        <EditorScreen
          id={route.id}
          onBack={pop}
          onVersions={() => push({ name: 'versions', id: route.id })}
        />
      )}
      {route.name === 'versions' && <VersionsScreen id={route.id} onBack={pop} />}
      {route.name === 'rejections' && <RejectionsScreen onBack={pop} />}
      <StatusBar onReview={() => push({ name: 'rejections' })} />
    </>
  );
}
