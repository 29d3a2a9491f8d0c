/**
 * The mobile app's `SyncProvider`: opens the backend once, then provides it (`BackendProvider`: session,
 * status with `databaseVersion`, live queries, writes) and the device's network state from NetInfo. The backend disconnects while NetInfo
 * reports no connection and reconnects at once when it is back, so the status reads `offline` then
 * `syncing`/`synced`; screens show the network state next to it.
 */
import NetInfo from '@react-native-community/netinfo';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { ActivityIndicator, Text, View } from 'react-native';
import type { LocalBackend } from '../../shared/local-backend';
import { BackendProvider } from '../../shared/react/context';
import { userMessage } from '../../shared/text';
import { mobileBackend } from './backend';
import { styles } from './components/styles';

const OnlineContext = createContext<boolean>(true);

/** Whether the device has a network connection (NetInfo). */
export function useOnline(): boolean {
  return useContext(OnlineContext);
}

export function SyncProvider({ children }: { children: ReactNode }) {
  const [backend, setBackend] = useState<LocalBackend | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [online, setOnline] = useState(true);
  useEffect(() => {
    let live = true;
    mobileBackend().then(
      (b) => live && setBackend(b),
      (e) => live && setError(e),
    );
    const off = NetInfo.addEventListener((s) => setOnline(s.isConnected !== false));
    return () => {
      live = false;
      off();
    };
  }, []);
  if (!backend) {
    return (
      <View style={styles.splash}>
        {error ? (
          <Text style={styles.error}>{userMessage(error).text}</Text>
        ) : (
          <ActivityIndicator accessibilityLabel="Opening your notes" />
        )}
      </View>
    );
  }
  return (
    <OnlineContext.Provider value={online}>
      <BackendProvider backend={backend}>{children}</BackendProvider>
    </OnlineContext.Provider>
  );
}
