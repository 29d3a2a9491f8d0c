import { type FormEvent, useState } from 'react';
import { useBackend } from '../../../shared/react/context.js';
import { ErrorMessage } from './message.js';

/** Sign in / create account. */
export function AuthScreen() {
  const backend = useBackend();
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const expired = backend.sessionEnd() === 'expired';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'sign-in') await backend.auth.signIn(email, password);
      else await backend.auth.signUp(name, email, password);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const signingUp = mode === 'sign-up';
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Syncline Notes
        </div>
        <p className="auth-tagline">Your notes on every device — and offline.</p>
        <h1>{signingUp ? 'Create your account' : 'Sign in'}</h1>
        {expired && !error && (
          <p className="notice" role="status">
            Your session ended. Sign in again to keep syncing.
          </p>
        )}
        <form onSubmit={submit} aria-label={signingUp ? 'Create account' : 'Sign in'}>
          {signingUp && (
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
            </label>
          )}
          <label>
            Email
            <input
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="email"
              // biome-ignore lint/a11y/noAutofocus: the sign-in screen's only task is this form
              autoFocus
            />
          </label>
          <label>
            Password
            <input
              type="password"
              required
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete={signingUp ? 'new-password' : 'current-password'}
            />
          </label>
          {error !== null && <ErrorMessage error={error} className="form-error" />}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Please wait…' : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="auth-switch">
          {signingUp ? 'Already have an account?' : 'New here?'}{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setMode(signingUp ? 'sign-in' : 'sign-up');
              setError(null);
            }}
          >
            {signingUp ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </div>
    </main>
  );
}
