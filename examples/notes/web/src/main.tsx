import { SyncProvider } from '@syncline/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app.js';
import { createNotesClient } from './sync.js';
import './styles.css';

const client = createNotesClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SyncProvider client={client}>
      <App />
    </SyncProvider>
  </StrictMode>,
);
