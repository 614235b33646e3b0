// Where CDR Desk keeps its data: the same per-user folder Electron's app.getPath('userData') gives the app
// (productName "CDR Desk"), so the CLI and the desktop app share one cache.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER = 'CDR Desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CDR_DESK_DATA_DIR) return env.CDR_DESK_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
  }
}
