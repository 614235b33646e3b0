// One-use file handles (see electron/data/host/file-grants.ts): their shape and how one is made, shared by main
// (which grants them from its dialogs) and the data host (which redeems them, and grants them itself in preview).
// Web Crypto only, so this stays free of Node imports like the rest of electron/shared.
import { FILE_HANDLE_PATTERN } from './contract.ts';

/** 'write': an export may create or replace it (the Save dialog asked about replacing); 'read': an id import. */
export type FileUse = 'write' | 'read';

export interface FileGrant {
  handle: string;
  path: string;
  use: FileUse;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A fresh handle: 32 characters of 6 random bits each (192 bits), behind a prefix that never starts a path. */
export function newFileHandle(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const handle = `fh-${Array.from(bytes, (b) => ALPHABET[b & 63]).join('')}`;
  if (!FILE_HANDLE_PATTERN.test(handle)) throw new Error('file handle does not match its own pattern');
  return handle;
}

/** The message main sends the data host to grant a file; the renderer's calls never take this shape. */
export function isFileGrantMessage(m: unknown): m is { grant: FileGrant } {
  const g = (m as { grant?: Partial<FileGrant> } | null)?.grant;
  return !!g && typeof g === 'object' && typeof g.handle === 'string' && FILE_HANDLE_PATTERN.test(g.handle) &&
    typeof g.path === 'string' && g.path.length > 0 && (g.use === 'write' || g.use === 'read');
}
