// Real folders for real SQLite files, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDir(prefix = 'cdr-desk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Points the file secret store's key at a per-test location so tests never touch the user's real key. */
export function isolatedKeyFile(): string {
  const file = join(tempDir('cdr-desk-key-'), 'secret-store.key');
  process.env.CDR_DESK_KEY_FILE = file;
  return file;
}
