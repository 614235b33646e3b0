// The afterPack hook flips the fuses electron-builder leaves at Electron's defaults. No Electron binary can be
// downloaded here, so the hook runs on a file laid out like one: bytes around the fuse sentinel and a wire of
// nine fuses all enabled (Electron's shipping defaults for most of them), then the wire is read back.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const require = createRequire(import.meta.url);
const hook = require('../../build/fuses.cjs') as ((context: unknown) => Promise<void>) & {
  executableOf: (context: unknown) => string;
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;

describe('fuses afterPack hook', () => {
  it('finds the executable electron-builder laid out on each platform', () => {
    const packager = { appInfo: { productFilename: 'CDR Desk' }, executableName: 'cdr-desk' };
    expect(hook.executableOf({ electronPlatformName: 'win32', appOutDir: '/out', packager })).toBe(join('/out', 'CDR Desk.exe'));
    expect(hook.executableOf({ electronPlatformName: 'darwin', appOutDir: '/out', packager })).toBe(join('/out', 'CDR Desk.app'));
    expect(hook.executableOf({ electronPlatformName: 'linux', appOutDir: '/out', packager })).toBe(join('/out', 'cdr-desk'));
  });

  it('turns RunAsNode, NODE_OPTIONS and --inspect off and asar integrity and asar-only on', async () => {
    const dir = tempDir();
    const wire = Buffer.alloc(9, ENABLE);
    wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] = DISABLE;
    wire[FuseV1Options.OnlyLoadAppFromAsar] = DISABLE;
    writeFileSync(join(dir, 'cdr-desk'), Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(4096, 7)]));

    await hook({ electronPlatformName: 'linux', appOutDir: dir, arch: 1, packager: { appInfo: { productFilename: 'CDR Desk' }, executableName: 'cdr-desk' } });

    const fuses = (await getCurrentFuseWire(join(dir, 'cdr-desk'))) as unknown as Record<number, number>;
    expect(fuses[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(ENABLE);
  });
});
