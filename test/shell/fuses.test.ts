// The afterPack hook flips the fuses electron-builder leaves at Electron's defaults. No Electron binary can be
// downloaded here, so the hook runs on a file laid out like one: bytes around the fuse sentinel and a wire of
// the nine documented fuses at Electron's shipping defaults, then the wire is read back.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const require = createRequire(import.meta.url);
const hook = require('../../build/fuses.cjs') as ((context: unknown) => Promise<void>) & {
  executableOf: (context: unknown) => string;
  FUSES: Record<string, unknown>;
  FUSES_LEFT_ON: Record<string, string>;
  fusesFor: (env: Record<string, string>) => Record<string, unknown>;
};

/**
 * Every fuse in Electron's current documentation (docs/tutorial/fuses.md, "Current fuses"), by its
 * @electron/fuses name, with the default the docs give. When Electron documents a new fuse, add it here and
 * decide it in build/fuses.cjs.
 */
const DOCUMENTED_FUSES: Record<string, 'enabled' | 'disabled'> = {
  RunAsNode: 'enabled',
  EnableCookieEncryption: 'disabled',
  EnableNodeOptionsEnvironmentVariable: 'enabled',
  EnableNodeCliInspectArguments: 'enabled',
  EnableEmbeddedAsarIntegrityValidation: 'disabled',
  OnlyLoadAppFromAsar: 'disabled',
  LoadBrowserProcessSpecificV8Snapshot: 'disabled',
  GrantFileProtocolExtraPrivileges: 'enabled',
  WasmTrapHandlers: 'enabled',
};
const fuseNames = () => Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k))) as (keyof typeof FuseV1Options)[];

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;

describe('fuse decisions', () => {
  it('decides every fuse Electron documents, and the installed @electron/fuses knows no other', () => {
    expect(fuseNames().sort()).toEqual(Object.keys(DOCUMENTED_FUSES).sort());
    const decided = Object.keys(hook.FUSES).filter((k) => /^\d+$/.test(k)).map((k) => FuseV1Options[Number(k)]);
    expect(decided.sort()).toEqual(Object.keys(DOCUMENTED_FUSES).sort());
    expect(hook.FUSES.strictlyRequireAllFuses).toBe(true);
  });

  it('turns GrantFileProtocolExtraPrivileges off and names why each fuse left on stays on', () => {
    expect(hook.FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    const on = fuseNames().filter((name) => hook.FUSES[FuseV1Options[name]] === true);
    expect(on.sort()).toEqual(Object.keys(hook.FUSES_LEFT_ON).sort());
    for (const name of on) expect(hook.FUSES_LEFT_ON[name]!.length, name).toBeGreaterThan(30);
  });

  it('leaves --inspect on only in the smoke-test build, and changes nothing else there', () => {
    expect(hook.fusesFor({})).toBe(hook.FUSES);
    expect(hook.fusesFor({ CDR_DESK_E2E_BUILD: '0' })).toBe(hook.FUSES);
    const e2e = hook.fusesFor({ CDR_DESK_E2E_BUILD: '1' });
    expect(e2e).toEqual({ ...hook.FUSES, [FuseV1Options.EnableNodeCliInspectArguments]: true });
  });
});

describe('fuses afterPack hook', () => {
  it('finds the executable electron-builder laid out on each platform', () => {
    const packager = { appInfo: { productFilename: 'CDR Desk' }, executableName: 'cdr-desk' };
    expect(hook.executableOf({ electronPlatformName: 'win32', appOutDir: '/out', packager })).toBe(join('/out', 'CDR Desk.exe'));
    expect(hook.executableOf({ electronPlatformName: 'darwin', appOutDir: '/out', packager })).toBe(join('/out', 'CDR Desk.app'));
    expect(hook.executableOf({ electronPlatformName: 'linux', appOutDir: '/out', packager })).toBe(join('/out', 'cdr-desk'));
  });

  it('turns RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off, asar integrity and asar-only on', async () => {
    const dir = tempDir();
    // Electron's shipping wire, as the docs give its defaults.
    const wire = Buffer.from(fuseNames().sort((a, b) => FuseV1Options[a] - FuseV1Options[b]).map((n) => (DOCUMENTED_FUSES[n] === 'enabled' ? ENABLE : DISABLE)));
    writeFileSync(join(dir, 'cdr-desk'), Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(4096, 7)]));

    await hook({ electronPlatformName: 'linux', appOutDir: dir, arch: 1, packager: { appInfo: { productFilename: 'CDR Desk' }, executableName: 'cdr-desk' } });

    const fuses = (await getCurrentFuseWire(join(dir, 'cdr-desk'))) as unknown as Record<number, number>;
    expect(fuses[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
    expect(fuses[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(DISABLE);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    expect(fuses[FuseV1Options.WasmTrapHandlers]).toBe(ENABLE);
  });
});
