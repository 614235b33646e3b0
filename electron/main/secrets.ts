// Account secrets and the OS keychain. safeStorage exists only in this (main) process, never in the data host's
// utilityProcess, so the flow is: the host keeps sealed blobs in its data folder and, when it needs a secret,
// asks main over its port to seal or open one blob (ops 'secrets.seal' / 'secrets.open'). Main never stores or
// logs the plain text; the host never sees the keychain key.
//
// On Linux without a keyring (safeStorage's 'basic_text' backend, i.e. a hard-coded password) or when the
// keychain is unavailable, the host instead uses the key-file store the CLI uses, and the user is told plainly.
import { safeStorage } from 'electron';

export interface SecretMode {
  mode: 'os' | 'file';
  /** Shown to the user (app.info → secretWarning) when secrets are only weakly protected. */
  warning: string | null;
}

export async function chooseSecretMode(): Promise<SecretMode> {
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return {
        mode: 'file',
        warning:
          'No system keyring was found (GNOME Keyring or KWallet), so account secrets are not protected by the OS. ' +
          'They are encrypted with a key kept in a file in your home folder: anyone who can read your files can read them.',
      };
    }
  }
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return {
      mode: 'file',
      warning:
        'The OS keychain is not available, so account secrets are encrypted with a key kept in a file in your home folder ' +
        'instead: anyone who can read your files can read them.',
    };
  }
  return { mode: 'os', warning: null };
}

/** Answers the data host's secret calls. Anything else it asks is refused. */
export async function answerSecretCall(op: unknown, arg: unknown): Promise<unknown> {
  if (typeof arg !== 'string') throw new Error('secret call without a string argument');
  if (op === 'secrets.seal') return (await safeStorage.encryptStringAsync(arg)).toString('base64');
  if (op === 'secrets.open') {
    const r = await safeStorage.decryptStringAsync(Buffer.from(arg, 'base64'));
    return { plain: r.result, reseal: r.shouldReEncrypt };
  }
  throw new Error(`unknown call "${String(op)}"`);
}
