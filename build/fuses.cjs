// electron-builder afterPack hook: flips Electron's fuses in the packed binary before it is signed, so the
// shipped app cannot be turned into a Node runtime or debugger, gives file:// pages no extra privileges, and only
// runs the code in its (checked) asar.
const { join } = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

// Every fuse Electron documents is set here on purpose (strictlyRequireAllFuses makes a new one fail the build
// until it is decided). The app needs none of the features switched off: its renderer comes from app://, never
// file://, and its data host is a utilityProcess, not ELECTRON_RUN_AS_NODE.
const FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
});

/**
 * The fuses for a build. CDR_DESK_E2E_BUILD=1 is the copy the Electron smoke test drives (Playwright reaches main
 * through --inspect); it is packed into its own folder and never released. Every other fuse stays as above.
 */
function fusesFor(env) {
  if (env.CDR_DESK_E2E_BUILD !== '1') return FUSES;
  return { ...FUSES, [FuseV1Options.EnableNodeCliInspectArguments]: true };
}

/** Each fuse left on, and why (test/shell/fuses.test.ts requires a reason for every one). */
const FUSES_LEFT_ON = {
  EnableCookieEncryption: 'cookies on disk are encrypted with the OS key; the app keeps none, so it costs nothing and protects any that appear',
  EnableEmbeddedAsarIntegrityValidation: 'app.asar is checked against the hash signed into the executable, so its code cannot be swapped on disk',
  OnlyLoadAppFromAsar: 'the app loads only from that checked app.asar, never from a loose app/ folder placed beside it',
  WasmTrapHandlers: "V8's guard-region bounds checks for WebAssembly (Electron's default); off would only make Wasm slower, no safer",
};

/** The Electron executable electron-builder just laid out in appOutDir. */
function executableOf(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  // Flipping fuses breaks the ad-hoc signature of an arm64 mac binary; let @electron/fuses re-sign it (the real
  // signature is applied afterwards by electron-builder when a certificate is configured).
  await flipFuses(executableOf(context), { ...fusesFor(process.env), resetAdHocDarwinSignature: isMac && context.arch === 3 /* Arch.arm64 */ });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.FUSES_LEFT_ON = FUSES_LEFT_ON;
module.exports.fusesFor = fusesFor;
module.exports.executableOf = executableOf;
