// Electron main (bundled to dist-electron/main.cjs): lifecycle only. The data work runs in the data host's
// utilityProcess; the window only ever talks to it through the contract, checked here on every call.
import { app, BrowserWindow, crashReporter, dialog } from 'electron';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, EVENTS, type Settings } from '../shared/contract.ts';
import { defaultDataDir } from '../data/paths.ts';
import { showAbout } from './about.ts';
import { DataHostProcess } from './host-process.ts';
import { checkDroppedFile } from './dropped-file.ts';
import { onFileDrop, registerIpc, sendEvent } from './ipc.ts';
import { crashFolder, log, setUpLog } from './log.ts';
import { mainHandlers } from './main-channels.ts';
import { setAppMenu } from './menu.ts';
import { handleAppProtocol, registerAppScheme } from './protocol.ts';
import { createRouter } from './router.ts';
import { answerSecretCall, chooseSecretMode } from './secrets.ts';
import { currentUpdateEnvironment, updateMode } from './update-policy.ts';
import { Updates } from './updates.ts';
import { createMainWindow, denyAllPermissions, lockDown } from './window.ts';

setUpLog();
// Crash reports stay on this computer, beside the log (the About box shows where); nothing is uploaded.
try {
  app.setPath('crashDumps', crashFolder());
} catch (err) {
  log.warn(`crash reports stay in Electron's default folder: ${err instanceof Error ? err.message : String(err)}`);
}
crashReporter.start({ uploadToServer: false });

// Every renderer runs in the OS sandbox, whatever a window's own preferences say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let host: DataHostProcess | null = null;

  registerAppScheme();
  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.whenReady().then(async () => {
    denyAllPermissions();
    handleAppProtocol(join(app.getAppPath(), 'dist', 'renderer'));
    const dataDir = defaultDataDir();
    const updates = new Updates({
      mode: updateMode(currentUpdateEnvironment(app.isPackaged)),
      // The user's choice, asked of the data host (which keeps the settings) at each check.
      channel: async () => {
        const reply = await host?.request('settings.get', {});
        return reply?.ok ? (reply.result as Settings).updateChannel : DEFAULT_SETTINGS.updateChannel;
      },
      window: () => window,
      log,
    });
    setAppMenu({
      showAbout: () => void updates.describe().then((line) => showAbout(window, dataDir, line)),
      checkForUpdates: () => void updates.check(true),
    });

    const secretMode = await chooseSecretMode();
    if (secretMode.warning) log.warn(secretMode.warning);
    host = new DataHostProcess({
      modulePath: join(__dirname, 'data-host.cjs'),
      args: ['--data-dir', dataDir, '--secrets', secretMode.mode, '--version', app.getVersion(),
        ...(secretMode.warning ? ['--secret-warning', secretMode.warning] : [])],
      onEvent: (event, payload) => {
        // Events are validated again at this hop; one that breaks the contract never reaches the page.
        if (Object.hasOwn(EVENTS, event) && EVENTS[event].safeParse(payload).success) sendEvent(window, event, payload);
        else log.warn(`dropped malformed event ${String(event)}`);
      },
      onMainCall: answerSecretCall,
      log: (line) => log.info(line),
    });
    host.start();

    const dataHost = host;
    registerIpc(
      createRouter({
        host: (channel, request) => dataHost.request(channel, request),
        main: mainHandlers(() => window, (path, use) => dataHost.grantFile(path, use)),
        log: (line) => log.warn(line),
      }),
    );

    onFileDrop(async (path) => {
      const dropped = await checkDroppedFile(path);
      if (!dropped.ok) return log.warn(`ignored a dropped file: ${dropped.reason}`);
      try {
        sendEvent(window, 'file.dropped', { handle: await dataHost.grantFile(dropped.path, 'read'), name: dropped.name });
      } catch (err) {
        log.warn(`ignored a dropped file: ${err instanceof Error ? err.message : String(err)}`);
      }
    });

    window = createMainWindow();
    window.on('closed', () => (window = null));
    if (secretMode.warning) {
      window.once('ready-to-show', () => {
        if (window) void dialog.showMessageBox(window, { type: 'warning', title: 'Account secrets', message: secretMode.warning! });
      });
    }
    updates.start();
    app.on('activate', () => {
      if (!window) {
        window = createMainWindow();
        window.on('closed', () => (window = null));
      }
    });
  }).catch((err: unknown) => {
    log.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => host?.stop());
}
