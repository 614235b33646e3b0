// The application menu: the platform's usual shortcuts through Electron's roles, About, and "Open log folder".
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { logFolder } from './log.ts';

export function setAppMenu(): void {
  const isMac = process.platform === 'darwin';
  const openLogs: MenuItemConstructorOptions = { label: 'Open Log Folder', click: () => void shell.openPath(logFolder()) };
  const about: MenuItemConstructorOptions = { role: 'about', label: 'About CDR Desk' };
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
      ? [{ label: app.name, submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions]
      : []),
    { label: 'File', submenu: [openLogs, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [openLogs] : [about, openLogs] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  app.setAboutPanelOptions({
    applicationName: 'CDR Desk',
    applicationVersion: app.getVersion(),
    copyright: 'Call detail records from your voice providers, offline.',
  });
}
