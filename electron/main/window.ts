// The one app window: remembered size and place, Electron's secure defaults stated outright (contextIsolation,
// sandbox, no nodeIntegration, so the smoke test can read them back), no navigation away, no new windows,
// external https links only through the allowlist, every permission denied, DevTools only in development.
import { app, BrowserWindow, nativeTheme, screen, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { log } from './log.ts';
import { APP_START_URL, isAllowedExternalUrl, isInAppUrl } from './security.ts';
import { DEFAULT_SIZE, loadWindowState, saveWindowState, visibleBounds } from './window-state.ts';

function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else log.warn(`blocked link to ${new URL(url).origin}`);
}

/** Applied to every web contents the app ever creates (app 'web-contents-created'). */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isInAppUrl(url)) return;
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isInAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`denied permission request: ${permission}`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

export function createMainWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile);
  const bounds = visibleBounds(state.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...DEFAULT_SIZE,
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'CDR Desk',
    // Matches the OS theme the renderer follows by default, so the window does not flash the wrong colour.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: !app.isPackaged,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  win.on('close', remember);

  void win.loadURL(APP_START_URL);
  return win;
}
