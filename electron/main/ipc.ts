// Registers one ipcMain handler per contract channel (the names the preload invokes) and relays data-host
// events to the window. All checking happens in the router.
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, IPC_EVENT_NAME, IPC_FILE_DROP, ipcNameOf, type EventName } from '../shared/contract.ts';
import { isTrustedSender } from './security.ts';
import type { createRouter } from './router.ts';

export function registerIpc(route: ReturnType<typeof createRouter>): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(ipcNameOf(channel), (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      // The top frame has no parent; an iframe (even of our origin) is refused by the router.
      return route(channel, { url: frame?.url, isMainFrame: !!frame && frame.parent === null }, payload);
    });
  }
}

/** A file dropped on the window (the preload sends its path): handed on only from the app window's top frame. */
export function onFileDrop(handle: (path: unknown) => void): void {
  ipcMain.on(IPC_FILE_DROP, (event: IpcMainEvent, path: unknown) => {
    const frame = event.senderFrame;
    if (isTrustedSender({ url: frame?.url, isMainFrame: !!frame && frame.parent === null })) handle(path);
  });
}

export function sendEvent(window: BrowserWindow | null, event: EventName, payload: unknown): void {
  if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT_NAME, event, payload);
}
