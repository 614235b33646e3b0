// The contract channels main answers itself: native dialogs and the shell. Requests arrive validated. A file the
// user picks goes to the page only as a one-use handle the data host redeems (file-grants.ts), never as a path
// the page could reuse or forge; the path comes along only to be shown.
import { dialog, shell, type BrowserWindow } from 'electron';
import type { Request } from '../shared/contract.ts';
import type { FileUse } from '../shared/file-handle.ts';
import { logFolder } from './log.ts';
import { SavedFiles } from './saved-files.ts';
import type { MainHandlers } from './router.ts';
import { isAllowedExternalUrl } from './security.ts';

export type GrantFile = (path: string, use: FileUse) => Promise<string>;

export function mainHandlers(window: () => BrowserWindow | null, grantFile: GrantFile): MainHandlers {
  const saved = new SavedFiles();
  const picked = async (path: string | null | undefined, use: FileUse) =>
    path ? { handle: await grantFile(path, use), path } : { handle: null, path: null };
  return {
    'dialog.saveFile': async (req) => {
      const r = req as Request<'dialog.saveFile'>;
      const win = window();
      const options = { title: r.title, defaultPath: r.defaultName, filters: r.filters };
      const res = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (!res.canceled && res.filePath) saved.add(res.filePath);
      return picked(res.canceled ? null : res.filePath, 'write');
    },
    'dialog.openFile': async (req) => {
      const r = req as Request<'dialog.openFile'>;
      const win = window();
      const options = { title: r.title, filters: r.filters, properties: ['openFile' as const] };
      const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return picked(res.canceled ? null : res.filePaths[0], 'read');
    },
    'shell.showItemInFolder': async (req) => {
      const { path } = req as Request<'shell.showItemInFolder'>;
      if (!saved.has(path)) throw new Error('only a file saved from this window can be shown in its folder');
      shell.showItemInFolder(path);
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
