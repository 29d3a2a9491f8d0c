export { defineConfig, loadConfig, type SynclineConfig } from './config/index.js';
export { type DevOptions, type DevStack, runDev } from './dev/index.js';
