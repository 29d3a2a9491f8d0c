import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BackendProvider } from '../../shared/react/context.js';
import { App } from './components/app.js';
import { createWebBackend } from './platform/web-backend.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const backend = await createWebBackend();
root.render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <App />
    </BackendProvider>
  </StrictMode>,
);
