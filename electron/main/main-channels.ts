// The contract channels main answers itself: native dialogs and the shell. Requests arrive validated.
import { dialog, shell, type BrowserWindow } from 'electron';
import type { Request } from '../shared/contract.ts';
import { logFolder } from './log.ts';
import type { MainHandlers } from './router.ts';
import { isAllowedExternalUrl } from './security.ts';

export function mainHandlers(window: () => BrowserWindow | null): MainHandlers {
  return {
    'dialog.saveFile': async (req) => {
      const r = req as Request<'dialog.saveFile'>;
      const win = window();
      const options = { title: r.title, defaultPath: r.defaultName, filters: r.filters };
      const res = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return { path: res.canceled || !res.filePath ? null : res.filePath };
    },
    'dialog.openFile': async (req) => {
      const r = req as Request<'dialog.openFile'>;
      const win = window();
      const options = { title: r.title, filters: r.filters, properties: ['openFile' as const] };
      const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { path: res.canceled ? null : (res.filePaths[0] ?? null) };
    },
    'shell.showItemInFolder': async (req) => {
      shell.showItemInFolder((req as Request<'shell.showItemInFolder'>).path);
      return null;
    },
    'shell.openExternal': async (req) => {
      const { url } = req as Request<'shell.openExternal'>;
      if (!isAllowedExternalUrl(url)) throw new Error(`links to ${new URL(url).hostname} are not opened from the app`);
      await shell.openExternal(url);
      return null;
    },
    'app.openLogFolder': async () => {
      const err = await shell.openPath(logFolder());
      if (err) throw new Error(`could not open the log folder: ${err}`);
      return null;
    },
  };
}
