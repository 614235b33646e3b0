// The preload (bundled to dist-electron/preload.cjs, runs sandboxed with context isolation): window.api only.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeApi } from './expose-api.ts';

exposeApi(contextBridge, ipcRenderer);
