// The window's security rules as plain functions (no Electron import), so they are unit-tested: where the
// renderer comes from, which frames may call the API, which links may leave the app, and the page's CSP.

/** The renderer's only origin: the bundled files served by our app:// protocol. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** The page's CSP, shared with `cdr-desk preview` (electron/shared/app-path.ts). */
export { CONTENT_SECURITY_POLICY } from '../shared/app-path.ts';

/** Hosts an https link may open in the user's browser (help and project pages). Everything else is refused. */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'www.electronjs.org'];

export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && EXTERNAL_HOSTS.includes(u.hostname);
}

export interface SenderInfo {
  /** URL of the frame that sent the IPC message (event.senderFrame.url); null when the frame is gone. */
  url: string | null | undefined;
  /** Only the window's top frame may call: an iframe, even of our origin, is not trusted. */
  isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderInfo): boolean {
  if (!sender.isMainFrame || !sender.url) return false;
  try {
    const u = new URL(sender.url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

/** Navigation away from the bundle is never allowed; in-bundle navigation (same document reloads) is. */
export function isInAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
