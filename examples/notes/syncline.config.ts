import { defineConfig } from '@syncline/cli';
import { createNotesApi } from './api/index.js';
import { schema } from './schema.js';

export default defineConfig({
  schema,
  dataDir: '.syncline',
  database: 'notes',
  // Used by `syncline doctor`, `generate` and `status`.
  api: { url: 'http://127.0.0.1:3000', entry: 'examples/notes/api/main.ts' },
  syncServer: { url: 'http://127.0.0.1:8080' },
  // How `npm start` (`syncline dev`) runs the notes app.
  dev: {
    startApi: (o) => createNotesApi(o),
    demoUser: { email: 'demo@syncline.dev', password: 'syncline-demo-password', name: 'Demo User' },
    // The web app (React + Vite + @powersync/web), relative to this file.
    webRoot: 'web',
  },
});
