import { defineConfig } from '@syncline/cli';
import { schema } from './schema.js';

export default defineConfig({
  schema,
  dataDir: '.syncline',
  database: 'notes',
  // Used by `syncline doctor`, `generate` and `status`.
  api: { url: 'http://localhost:3000', entry: 'examples/notes/api/main.ts' },
  syncServer: { url: 'http://localhost:8080' },
});
