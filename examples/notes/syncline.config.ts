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
    // The web app's origins come from `syncline dev`; the mobile app's web target (`npx expo start --web`,
    // port 8081) is a browser origin too. Native apps send no Origin and need no entry.
    startApi: (o) =>
      createNotesApi({
        ...o,
        trustedOrigins: [...o.trustedOrigins, 'http://localhost:8081', 'http://127.0.0.1:8081'],
      }),
    demoUser: { email: 'demo@syncline.dev', password: 'syncline-demo-password', name: 'Demo User' },
    // The web app (React + Vite + @powersync/web), relative to this file.
    webRoot: 'web',
  },
});
