// The preload (bundled to dist-electron/preload.cjs, runs sandboxed with context isolation): window.api only,
// plus the forwarding of files the user drops on the window (file-drop.ts), which the page never calls.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeApi } from './expose-api.ts';
import { forwardFileDrops, type DropTarget } from './file-drop.ts';

exposeApi(contextBridge, ipcRenderer);
forwardFileDrops(globalThis as unknown as DropTarget, { getPathForFile: (f) => webUtils.getPathForFile(f as File), send: (c, p) => ipcRenderer.send(c, p) });
