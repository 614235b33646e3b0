// When the app looks for, downloads and installs updates, as plain functions (no Electron import) so the
// decisions are tested without a release server. updates.ts feeds them to electron-updater.
import type { UpdateChannel } from '../shared/contract.ts';

export interface UpdateEnvironment {
  /** app.isPackaged: false under `npm start`. */
  packaged: boolean;
  /** electron-builder's portable exe sets PORTABLE_EXECUTABLE_DIR; it cannot replace itself. */
  portable: boolean;
  platform: NodeJS.Platform;
  /** Linux: only an AppImage (APPIMAGE set) can be replaced by electron-updater. */
  appImage: boolean;
  /** CDR_DESK_NO_UPDATES=1: an administrator (or the smoke test) turned updates off. */
  turnedOff: boolean;
}

export type UpdateMode = { enabled: true } | { enabled: false; reason: string };

export function updateMode(env: UpdateEnvironment): UpdateMode {
  if (!env.packaged) return { enabled: false, reason: 'updates are off in development' };
  if (env.turnedOff) return { enabled: false, reason: 'updates are turned off (CDR_DESK_NO_UPDATES=1)' };
  if (env.portable) return { enabled: false, reason: 'the portable build does not update itself; download the new version from the releases page' };
  if (env.platform === 'linux' && !env.appImage) return { enabled: false, reason: 'only the AppImage updates itself on Linux' };
  return { enabled: true };
}

/** The environment of this process, read once at start. */
export function currentUpdateEnvironment(packaged: boolean, env: NodeJS.ProcessEnv = process.env): UpdateEnvironment {
  return { packaged, portable: !!env.PORTABLE_EXECUTABLE_DIR, platform: process.platform, appImage: !!env.APPIMAGE, turnedOff: env.CDR_DESK_NO_UPDATES === '1' };
}

interface Version {
  core: [number, number, number];
  pre: string[];
}

/** Semantic version (a leading v allowed, build metadata ignored); null when it is not one. */
export function parseVersion(text: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Semver precedence: negative when a < b. Versions that do not parse compare equal (nothing to install). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return 0;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  // A pre-release comes before its release: 1.2.0-beta.2 < 1.2.0.
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** 'latest' takes releases only; 'beta' takes pre-releases as well. */
export function channelAccepts(channel: UpdateChannel, version: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return channel === 'beta' || v.pre.length === 0;
}

export type CheckDecision = { check: true } | { check: false; reason: string };

/** Whether to ask the release server now: only when updates are on and the machine is online. */
export function shouldCheck(mode: UpdateMode, online: boolean): CheckDecision {
  if (!mode.enabled) return { check: false, reason: mode.reason };
  if (!online) return { check: false, reason: 'this computer is offline; the app looks for updates again at its next start' };
  return { check: true };
}

export type OfferDecision = { download: true } | { download: false; reason: string };

/** What to do with the version the server offers: download it only when it is newer and on the user's channel. */
export function decideOffer(current: string, offered: string, channel: UpdateChannel): OfferDecision {
  if (!parseVersion(offered)) return { download: false, reason: `the server offered "${offered.slice(0, 40)}", which is not a version` };
  if (!channelAccepts(channel, offered)) return { download: false, reason: `${offered} is a pre-release and the update channel is ${channel}` };
  if (compareVersions(offered, current) <= 0) return { download: false, reason: `${current} is up to date` };
  return { download: true };
}
