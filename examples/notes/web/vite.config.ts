/**
 * Vite config of the notes web app. `npm start` (`syncline dev`) serves it with `VITE_API_URL` set to the
 * notes API; `npm run web:build --workspace @syncline/example-notes` builds it into `web/dist`.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The browser only needs the schema package's run-time half (tables, columns, codecs); its main entry
    // also exports the CLI (`node:fs`) and the sync-rules generator, which have no place in a bundle.
    alias: [{ find: /^@syncline\/schema$/, replacement: '@syncline/schema/client' }],
  },
  // Recommended by PowerSync: the SDK loads its workers and wasm itself.
  optimizeDeps: { exclude: ['@journeyapps/wa-sqlite', '@powersync/web'] },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});
