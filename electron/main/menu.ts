// The application menu: the platform's usual shortcuts through Electron's roles, About (with the log and crash
// folders), "Check for Updates…" and "Open log folder".
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { logFolder } from './log.ts';

export interface MenuActions {
  showAbout: () => void;
  checkForUpdates: () => void;
}

export function setAppMenu(actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const openLogs: MenuItemConstructorOptions = { label: 'Open Log Folder', click: () => void shell.openPath(logFolder()) };
  const about: MenuItemConstructorOptions = { label: 'About CDR Desk', click: actions.showAbout };
  const updates: MenuItemConstructorOptions = { label: 'Check for Updates…', click: actions.checkForUpdates };
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [{ label: app.name, submenu: [about, updates, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions]
      : []),
    { label: 'File', submenu: [openLogs, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [openLogs] : [about, updates, openLogs] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
