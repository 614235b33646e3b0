// Account secrets sealed by the OS keychain (Electron safeStorage) and kept in <dataDir>/secrets.os.json.
// The host never sees the keychain key: it hands plain JSON to a Sealer (main, over the port) and stores the
// sealed blob. The ref is sealed inside the blob and checked on open, so blobs cannot be swapped between accounts.
// This file is separate from the CLI's secrets.json: the CLI has no keychain access (see docs/architecture.md).
import { join } from 'node:path';
import { SealedEntriesFile } from '../accounts/secrets/sealed-file.ts';
import type { SecretStore, Secrets } from '../accounts/secrets/store.ts';

export interface Sealer {
  /** Plain text → opaque base64 blob. */
  seal(plain: string): Promise<string>;
  /** reseal: the keychain rotated its key, so the blob should be sealed again (safeStorage's shouldReEncrypt). */
  open(sealed: string): Promise<{ plain: string; reseal: boolean }>;
}

export class SealedFileSecretStore implements SecretStore {
  readonly description: string;
  private readonly file: SealedEntriesFile<string>;
  private readonly sealer: Sealer;

  constructor(dataDir: string, sealer: Sealer, description: string) {
    this.file = new SealedEntriesFile<string>(join(dataDir, 'secrets.os.json'));
    this.sealer = sealer;
    this.description = `${description}, in ${this.file.path}`;
  }

  async get(ref: string): Promise<Secrets | null> {
    const sealed = this.file.get(ref);
    if (!sealed) return null;
    const { plain, reseal } = await this.sealer.open(sealed);
    const opened = JSON.parse(plain) as { ref: string; secrets: Secrets };
    if (opened.ref !== ref) throw new Error(`stored secrets for ${ref} belong to ${opened.ref}; set them again`);
    if (reseal) await this.set(ref, opened.secrets);
    return opened.secrets;
  }

  async set(ref: string, secrets: Secrets): Promise<void> {
    this.file.put(ref, await this.sealer.seal(JSON.stringify({ ref, secrets })));
  }

  async delete(ref: string): Promise<void> {
    this.file.remove(ref);
  }
}

/** The sealer that asks Electron main (which owns safeStorage) over the port. */
export function sealerOverLink(call: (op: 'secrets.seal' | 'secrets.open', arg: string) => Promise<unknown>): Sealer {
  return {
    seal: async (plain) => String(await call('secrets.seal', plain)),
    open: async (sealed) => {
      const r = (await call('secrets.open', sealed)) as { plain?: unknown; reseal?: unknown };
      if (typeof r?.plain !== 'string') throw new Error('the app answered secrets.open without the secret');
      return { plain: r.plain, reseal: r.reseal === true };
    },
  };
}

/**
 * The app's store first; for reading only, the CLI's key-file store as well, so an account added with
 * `cdr-desk accounts add` works in the app. New and changed secrets always go to the primary store.
 */
export class WithFallbackSecretStore implements SecretStore {
  readonly description: string;
  private readonly primary: SecretStore;
  private readonly fallback: SecretStore;

  constructor(primary: SecretStore, fallback: SecretStore) {
    this.primary = primary;
    this.fallback = fallback;
    this.description = primary.description;
  }

  async get(ref: string): Promise<Secrets | null> {
    const own = await this.primary.get(ref);
    if (own) return own;
    // A CLI store this machine cannot read (another user's key) is the same as no secret at all.
    return this.fallback.get(ref).catch(() => null);
  }

  async set(ref: string, secrets: Secrets): Promise<void> {
    await this.primary.set(ref, secrets);
    await this.fallback.delete(ref).catch(() => undefined);
  }

  async delete(ref: string): Promise<void> {
    await this.primary.delete(ref);
    await this.fallback.delete(ref).catch(() => undefined);
  }
}
