// Secrets encrypted with AES-256-GCM in <dataDir>/secrets.json. The key lives apart from the data, in a per-user
// file with 0600 permissions, so copying the data folder alone does not reveal a secret.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SealedEntriesFile } from './sealed-file.ts';
import type { SecretStore, Secrets } from './store.ts';

// Loaded at first use: a command that reads no secret (a search) starts without node:crypto.
const crypto = () => process.getBuiltinModule('node:crypto');

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export function defaultKeyFile(): string {
  if (process.env.CDR_DESK_KEY_FILE) return process.env.CDR_DESK_KEY_FILE;
  const base =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(base, 'cdr-desk', 'secret-store.key');
}

export class EncryptedFileSecretStore implements SecretStore {
  readonly description: string;
  private readonly file: SealedEntriesFile<Sealed>;
  private readonly keyFile: string;
  private key: Buffer | null = null;

  constructor(dataDir: string, keyFile = defaultKeyFile()) {
    this.file = new SealedEntriesFile<Sealed>(join(dataDir, 'secrets.json'));
    this.keyFile = keyFile;
    this.description = `encrypted file ${this.file.path} (AES-256-GCM; key in ${keyFile}, mode 0600)`;
  }

  async get(ref: string): Promise<Secrets | null> {
    const sealed = this.file.get(ref);
    if (!sealed) return null;
    const decipher = crypto().createDecipheriv('aes-256-gcm', this.loadKey(), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(ref));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Secrets;
    } catch {
      throw new Error(`stored secrets cannot be decrypted with the key in ${this.keyFile} (was the key replaced?)`);
    }
  }

  async set(ref: string, secrets: Secrets): Promise<void> {
    const iv = crypto().randomBytes(12);
    const cipher = crypto().createCipheriv('aes-256-gcm', this.loadKey(), iv);
    cipher.setAAD(Buffer.from(ref));
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    this.file.put(ref, { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') });
  }

  async delete(ref: string): Promise<void> {
    this.file.remove(ref);
  }

  private loadKey(): Buffer {
    if (this.key) return this.key;
    if (existsSync(this.keyFile)) {
      this.key = Buffer.from(readFileSync(this.keyFile, 'utf8').trim(), 'base64');
      if (this.key.length !== 32) throw new Error(`secret key file ${this.keyFile} is not a 256-bit key`);
    } else {
      mkdirSync(dirname(this.keyFile), { recursive: true, mode: 0o700 });
      const fresh = crypto().randomBytes(32);
      try {
        writeFileSync(this.keyFile, fresh.toString('base64'), { mode: 0o600, flag: 'wx' });
        chmodSync(this.keyFile, 0o600);
      } catch (err) {
        // Another process created it first: use theirs.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        this.key = null;
        return this.loadKey();
      }
      this.key = fresh;
    }
    return this.key;
  }
}
