/**
 * The Electron window: the web app's UI (`web/src/components`) over the IPC backend. The preload exposed
 * `window.syncline`; nothing here opens a database or holds a token.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BackendProvider } from '../../shared/react/context.js';
import { App } from '../../web/src/components/app.js';
import '../../web/src/styles.css';
import type { NotesDesktopApi } from '../preload/api.js';
import { createIpcBackend } from './ipc-backend.js';

declare global {
  interface Window {
    syncline: NotesDesktopApi;
  }
}

const root = createRoot(document.getElementById('root')!);
const backend = await createIpcBackend(window.syncline);
root.render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <App />
    </BackendProvider>
  </StrictMode>,
);
