/**
 * Preload of the notes app: exposes `window.syncline` (sync enable/disable/status, sign-in/out, notes)
 * with `contextBridge`. Bundle it to CommonJS: sandboxed preloads cannot import npm packages.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createNotesRendererApi } from './api.js';

contextBridge.exposeInMainWorld('syncline', createNotesRendererApi(ipcRenderer));
