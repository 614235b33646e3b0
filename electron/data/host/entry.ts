// Entry of the data host inside the app: Electron main starts it with utilityProcess.fork (bundled as
// dist-electron/data-host.cjs). Plain Node: it never imports 'electron'; it only has process.parentPort.
//
// Secrets: safeStorage exists only in main, so when main says --secrets os the host keeps sealed blobs in its
// data folder and asks main to seal/open them over the port (MainLink). With --secrets file (Linux without a
// keyring, where safeStorage would fall back to a hard-coded password) it uses the same AES key-file store as
// the CLI, and main shows the user a plain warning. Secrets of accounts added with the CLI are read from the
// CLI's store until they are next changed in the app.
import { parseArgs } from 'node:util';
import { EncryptedFileSecretStore } from '../accounts/secrets/file-store.ts';
import { openWorkspace } from '../workspace.ts';
import { createDispatcher } from './dispatcher.ts';
import { serveHost } from './loop.ts';
import { MainLink } from './main-link.ts';
import { fromParentPort } from './port.ts';
import { SealedFileSecretStore, sealerOverLink, WithFallbackSecretStore } from './sealed-secret-store.ts';

const parentPort = (process as unknown as { parentPort?: Parameters<typeof fromParentPort>[0] }).parentPort;
if (!parentPort) {
  process.stderr.write('data host: start me from the app (utilityProcess.fork), not directly\n');
  process.exit(2);
}

// Positionals are ignored: whether the module path shows up in argv differs between launchers.
const { values } = parseArgs({
  args: process.argv.slice(1),
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    secrets: { type: 'string', default: 'os' },
    version: { type: 'string', default: '0.0.0' },
    'secret-warning': { type: 'string' },
  },
});
const dataDir = values['data-dir'];
if (!dataDir) {
  process.stderr.write('data host: --data-dir is required\n');
  process.exit(2);
}

const port = fromParentPort(parentPort);
const link = new MainLink(port);
const secrets =
  values.secrets === 'file'
    ? new EncryptedFileSecretStore(dataDir)
    : new WithFallbackSecretStore(
        new SealedFileSecretStore(dataDir, sealerOverLink((op, arg) => link.call(op, arg)), 'sealed by the OS keychain (Electron safeStorage)'),
        new EncryptedFileSecretStore(dataDir),
      );
const ws = openWorkspace(dataDir, secrets);
const dispatcher = createDispatcher(ws, {
  emit: (event, payload) => port.post({ event, payload }),
  info: { version: values.version, shell: 'electron', secretWarning: values['secret-warning'] ?? null },
});
serveHost(port, dispatcher, link);
process.on('exit', () => ws.close());
