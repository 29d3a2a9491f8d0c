/**
 * Vite config of the Electron window: the web app's UI over `window.syncline`. `base: './'` because
 * Electron loads the built page from disk (`loadFile`).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { target: 'es2022', outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});
