import { useState } from 'react';
import { KeyboardAvoidingView, Pressable, Text, TextInput, View } from 'react-native';
import { useBackend } from '../../../shared/react/context';
import { styles } from '../components/styles';
import { Button, ErrorText } from '../components/ui';

/** Sign in / create an account. */
export function AuthScreen() {
  const backend = useBackend();
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const signingUp = mode === 'sign-up';

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      if (signingUp) await backend.auth.signUp(name, email, password);
      else await backend.auth.signIn(email, password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <KeyboardAvoidingView style={[styles.screen, styles.splash]} behavior="padding">
      <View
        style={{ width: '100%', maxWidth: 380, gap: 12 }}
        accessibilityLabel={signingUp ? 'Create account' : 'Sign in'}
      >
        <Text style={{ fontSize: 22, fontWeight: '700' }}>Syncline Notes</Text>
        <Text style={styles.muted}>Your notes on every device — and offline.</Text>
        <Text style={{ fontSize: 18, fontWeight: '600' }} accessibilityRole="header">
          {signingUp ? 'Create your account' : 'Sign in'}
        </Text>
        {backend.sessionEnd() === 'expired' && !error && (
          <Text style={styles.notice}>Your session ended. Sign in again to keep syncing.</Text>
        )}
        {signingUp && (
          <TextInput
            style={styles.input}
            accessibilityLabel="Name"
            placeholder="Name"
            value={name}
            onChangeText={setName}
          />
        )}
        <TextInput
          style={styles.input}
          accessibilityLabel="Email"
          placeholder="Email"
          autoCapitalize="none"
          autoComplete="email"
          keyboardType="email-address"
          value={email}
          onChangeText={setEmail}
        />
        <TextInput
          style={styles.input}
          accessibilityLabel="Password"
          placeholder="Password (8 characters or more)"
          secureTextEntry
          value={password}
          onChangeText={setPassword}
          onSubmitEditing={() => void submit()}
        />
        {error !== null && <ErrorText error={error} />}
        <Button
          kind="primary"
          label={busy ? 'Please wait…' : signingUp ? 'Create account' : 'Sign in'}
          disabled={busy}
          onPress={() => void submit()}
        />
        <Pressable
          accessibilityRole="button"
          onPress={() => {
            setMode(signingUp ? 'sign-in' : 'sign-up');
            setError(null);
          }}
        >
          <Text style={styles.link}>
            {signingUp ? 'I have an account: sign in' : 'New here? Create an account'}
          </Text>
        </Pressable>
      </View>
    </KeyboardAvoidingView>
  );
}
