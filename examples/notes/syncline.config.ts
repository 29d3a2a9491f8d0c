import { defineConfig } from '@syncline/cli';
import { schema } from './schema.js';

export default defineConfig({
  schema,
  dataDir: '.syncline',
  database: 'notes',
});
