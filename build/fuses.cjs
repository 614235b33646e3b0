// electron-builder afterPack hook: flips Electron's fuses in the packed binary before it is signed, so the
// shipped app cannot be turned into a Node runtime or debugger and only runs the code in its (checked) asar.
const { join } = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
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
  await flipFuses(executableOf(context), { ...FUSES, resetAdHocDarwinSignature: isMac && context.arch === 3 /* Arch.arm64 */ });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.executableOf = executableOf;
