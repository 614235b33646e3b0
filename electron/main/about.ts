// The About box: version, and the folders a user is asked for when something goes wrong (the log folder, which
// also holds the local crash reports, and the data folder). The text is a plain function; the box is Electron's.
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { crashFolder, logFolder } from './log.ts';

export interface AboutFacts {
  version: string;
  electron: string;
  chrome: string;
  node: string;
  dataDir: string;
  logDir: string;
  crashDir: string;
  updates: string;
}

export function aboutDetail(f: AboutFacts): string {
  return [
    `Version ${f.version} (Electron ${f.electron}, Chromium ${f.chrome}, Node ${f.node})`,
    `Updates: ${f.updates}`,
    '',
    `Data folder: ${f.dataDir}`,
    `Log folder: ${f.logDir}`,
    `Crash reports (kept on this computer, never sent): ${f.crashDir}`,
  ].join('\n');
}

export async function showAbout(window: BrowserWindow | null, dataDir: string, updates: string): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About CDR Desk',
    message: 'CDR Desk',
    detail: aboutDetail({
      version: app.getVersion(), electron: process.versions.electron ?? '?', chrome: process.versions.chrome ?? '?', node: process.versions.node,
      dataDir, logDir: logFolder(), crashDir: crashFolder(), updates,
    }),
    buttons: ['OK', 'Open Log Folder'],
    defaultId: 0,
    cancelId: 0,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response === 1) await shell.openPath(logFolder());
}
