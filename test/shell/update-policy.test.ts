// The update decisions, as plain functions: when the app looks for updates at all (packaged, not portable, an
// AppImage on Linux, online), and which offered version it downloads (newer, and on the user's channel).
import { describe, expect, it } from 'vitest';
import { channelAccepts, compareVersions, currentUpdateEnvironment, decideOffer, parseVersion, shouldCheck, updateMode } from '../../electron/main/update-policy.ts';

const installed = { packaged: true, portable: false, platform: 'win32' as const, appImage: false, turnedOff: false };

describe('update mode', () => {
  it('is on in an installed, packaged app', () => {
    expect(updateMode(installed)).toEqual({ enabled: true });
    expect(updateMode({ ...installed, platform: 'darwin' })).toEqual({ enabled: true });
    expect(updateMode({ ...installed, platform: 'linux', appImage: true })).toEqual({ enabled: true });
  });

  it('is off in development, in the portable build, on Linux outside an AppImage and when turned off, saying why', () => {
    expect(updateMode({ ...installed, packaged: false })).toEqual({ enabled: false, reason: 'updates are off in development' });
    expect(updateMode({ ...installed, portable: true })).toMatchObject({ enabled: false, reason: /portable build does not update itself/ });
    expect(updateMode({ ...installed, platform: 'linux' })).toMatchObject({ enabled: false, reason: /only the AppImage/ });
    expect(updateMode({ ...installed, turnedOff: true })).toEqual({ enabled: false, reason: 'updates are turned off (CDR_DESK_NO_UPDATES=1)' });
  });

  it('reads portable and AppImage from the variables electron-builder sets', () => {
    expect(currentUpdateEnvironment(true, { PORTABLE_EXECUTABLE_DIR: 'D:\\apps' }).portable).toBe(true);
    expect(currentUpdateEnvironment(true, { APPIMAGE: '/home/u/CDR.AppImage' }).appImage).toBe(true);
    expect(currentUpdateEnvironment(false, {})).toMatchObject({ packaged: false, portable: false, appImage: false, turnedOff: false });
    expect(currentUpdateEnvironment(true, { CDR_DESK_NO_UPDATES: '1' }).turnedOff).toBe(true);
  });
});

describe('checking', () => {
  it('checks only when on and online', () => {
    expect(shouldCheck({ enabled: true }, true)).toEqual({ check: true });
    expect(shouldCheck({ enabled: true }, false)).toMatchObject({ check: false, reason: /offline/ });
    expect(shouldCheck({ enabled: false, reason: 'updates are off in development' }, true)).toEqual({ check: false, reason: 'updates are off in development' });
  });
});

describe('versions', () => {
  it('parses semver with an optional v and build metadata', () => {
    expect(parseVersion('v1.2.3')).toEqual({ core: [1, 2, 3], pre: [] });
    expect(parseVersion('1.2.3-beta.2+build.7')).toEqual({ core: [1, 2, 3], pre: ['beta', '2'] });
    for (const bad of ['1.2', '1.2.3.4', 'latest', '', '01.2.3x']) expect(parseVersion(bad), bad).toBeNull();
  });

  it.each([
    ['0.1.0', '0.2.0'],
    ['0.9.9', '0.10.0'],
    ['1.2.0-beta.1', '1.2.0'],
    ['1.2.0-alpha', '1.2.0-beta'],
    ['1.2.0-beta.2', '1.2.0-beta.11'],
    ['1.2.0-beta', '1.2.0-beta.1'],
    ['1.2.0-1', '1.2.0-beta'],
    ['1.2.0', '1.2.1-beta.1'],
  ])('%s < %s', (a, b) => {
    expect(compareVersions(a, b)).toBeLessThan(0);
    expect(compareVersions(b, a)).toBeGreaterThan(0);
  });

  it('compares equal versions (and unparseable ones) as equal', () => {
    expect(compareVersions('1.2.3', 'v1.2.3+other')).toBe(0);
    expect(compareVersions('1.2.3', 'garbage')).toBe(0);
  });
});

describe('channels and offers', () => {
  it('latest takes releases only, beta takes pre-releases too', () => {
    expect(channelAccepts('latest', '1.3.0')).toBe(true);
    expect(channelAccepts('latest', '1.3.0-beta.1')).toBe(false);
    expect(channelAccepts('beta', '1.3.0-beta.1')).toBe(true);
    expect(channelAccepts('beta', '1.3.0')).toBe(true);
    expect(channelAccepts('beta', 'nope')).toBe(false);
  });

  it('downloads only a newer version on the channel', () => {
    expect(decideOffer('0.1.0', '0.2.0', 'latest')).toEqual({ download: true });
    expect(decideOffer('0.1.0', '0.2.0-beta.1', 'beta')).toEqual({ download: true });
    expect(decideOffer('0.1.0', '0.2.0-beta.1', 'latest')).toEqual({ download: false, reason: '0.2.0-beta.1 is a pre-release and the update channel is latest' });
    expect(decideOffer('0.2.0', '0.2.0', 'latest')).toEqual({ download: false, reason: '0.2.0 is up to date' });
    expect(decideOffer('0.2.0', '0.1.9', 'latest')).toMatchObject({ download: false, reason: /up to date/ });
    // A user who leaves the beta channel keeps the beta until a release newer than it comes out.
    expect(decideOffer('0.3.0-beta.2', '0.2.0', 'latest')).toMatchObject({ download: false });
    expect(decideOffer('0.3.0-beta.2', '0.3.0', 'latest')).toEqual({ download: true });
    expect(decideOffer('0.1.0', 'x', 'beta')).toMatchObject({ download: false, reason: /not a version/ });
  });
});
