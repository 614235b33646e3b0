// Updates from the project's GitHub releases through electron-updater (publish settings in
// build/electron-builder.yml): a check at start and from the menu, the download in the background, and the
// install when the user quits, after asking. Off in development and in the portable build (update-policy.ts
// decides; this file only wires Electron to it). The channel is the user's setting, read at each check.
import { app, dialog, net, type BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { UpdateChannel } from '../shared/contract.ts';
import { decideOffer, shouldCheck, type UpdateMode } from './update-policy.ts';

export interface UpdatesOptions {
  mode: UpdateMode;
  channel: () => Promise<UpdateChannel>;
  window: () => BrowserWindow | null;
  log: { info: (line: string) => void; warn: (line: string) => void };
}

export class Updates {
  private readonly o: UpdatesOptions;
  private downloaded: string | null = null;
  private askedOnQuit = false;
  /** The channel of the check in progress (offers are judged against it). */
  private channel: UpdateChannel = 'latest';

  constructor(options: UpdatesOptions) {
    this.o = options;
  }

  /** One line for the About box. */
  async describe(): Promise<string> {
    if (!this.o.mode.enabled) return this.o.mode.reason;
    return this.downloaded ? `version ${this.downloaded} is ready and installs when you quit` : `on, channel "${await this.o.channel()}"`;
  }

  start(): void {
    if (!this.o.mode.enabled) {
      this.o.log.info(`updates: ${this.o.mode.reason}`);
      return;
    }
    autoUpdater.autoDownload = false;
    autoUpdater.autoInstallOnAppQuit = false;
    autoUpdater.logger = { info: (m) => this.o.log.info(`updates: ${String(m)}`), warn: (m) => this.o.log.warn(`updates: ${String(m)}`), error: (m) => this.o.log.warn(`updates: ${String(m)}`), debug: () => {} };
    autoUpdater.on('update-available', (info) => this.onOffer(info.version));
    autoUpdater.on('update-downloaded', (info) => {
      this.downloaded = info.version;
      this.o.log.info(`updates: ${info.version} downloaded; the user is asked when quitting`);
    });
    autoUpdater.on('error', (err) => this.o.log.warn(`updates: ${err.message}`));
    app.on('before-quit', (event) => this.onQuit(event));
    void this.check(false);
  }

  /** manual: from the menu, so the user is told the outcome (a check at start stays quiet). */
  async check(manual: boolean): Promise<void> {
    const decision = shouldCheck(this.o.mode, net.isOnline());
    if (!decision.check) {
      this.o.log.info(`updates: not checking: ${decision.reason}`);
      if (manual) await this.tell(decision.reason);
      return;
    }
    const channel = await this.o.channel();
    this.channel = channel;
    autoUpdater.channel = channel;
    autoUpdater.allowPrerelease = channel === 'beta';
    // Setting a channel turns downgrades on in electron-updater; an older release is never installed here.
    autoUpdater.allowDowngrade = false;
    try {
      const result = await autoUpdater.checkForUpdates();
      if (!manual) return;
      const offer = result?.isUpdateAvailable ? decideOffer(app.getVersion(), result.updateInfo.version, channel) : null;
      if (offer?.download) await this.tell(`CDR Desk ${result!.updateInfo.version} is being downloaded; you are asked to install it when you quit.`);
      else await this.tell(`CDR Desk ${app.getVersion()} is up to date${offer && !offer.download ? ` (${offer.reason})` : ''}.`);
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      this.o.log.warn(`updates: check failed: ${message}`);
      if (manual) await this.tell(`Could not look for updates: ${message}`);
    }
  }

  private onOffer(version: string): void {
    const decision = decideOffer(app.getVersion(), version, this.channel);
    if (!decision.download) return this.o.log.info(`updates: not downloading: ${decision.reason}`);
    this.o.log.info(`updates: downloading ${version}`);
    autoUpdater.downloadUpdate().catch((err: unknown) => this.o.log.warn(`updates: download failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private onQuit(event: Electron.Event): void {
    if (!this.downloaded || this.askedOnQuit) return;
    this.askedOnQuit = true;
    event.preventDefault();
    const choice = dialog.showMessageBoxSync({
      type: 'question',
      title: 'Update ready',
      message: `CDR Desk ${this.downloaded} is ready to install.`,
      detail: 'Install it now? The app closes, updates and opens again. Choose "Later" to keep this version until you next quit.',
      buttons: ['Install and Restart', 'Later'],
      defaultId: 0,
      cancelId: 1,
    });
    if (choice === 0) autoUpdater.quitAndInstall(false, true);
    else app.quit();
  }

  private async tell(message: string): Promise<void> {
    const window = this.o.window();
    const options = { type: 'info' as const, title: 'Updates', message };
    if (window) await dialog.showMessageBox(window, options);
    else await dialog.showMessageBox(options);
  }
}
