// One interface for keeping account secrets out of the database. The app plugs in Electron's safeStorage;
// the CLI and tests use the encrypted file store.

export type Secrets = Record<string, string>;

export interface SecretStore {
  /** Plain words for the user: where secrets are kept and how they are protected. */
  readonly description: string;
  get(ref: string): Promise<Secrets | null>;
  set(ref: string, secrets: Secrets): Promise<void>;
  delete(ref: string): Promise<void>;
}
