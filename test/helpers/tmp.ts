// Real folders for real SQLite files, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Folders made by this test file. */
const made: string[] = [];

// One file-level hook, registered as this module loads (while the test file is collected): an afterAll() called
// from inside a test or a hook, where many folders are made, never runs. A script a test spawns
// (export/insert-loop.ts) loads this module with no test runner, where afterAll throws.
try {
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
} catch {
  /* no test runner in this process */
}

/** A new folder, removed after the test file's tests. */
export function tempDir(prefix = 'cdr-desk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Points the file secret store's key at a per-test location so tests never touch the user's real key. */
export function isolatedKeyFile(): string {
  const file = join(tempDir('cdr-desk-key-'), 'secret-store.key');
  process.env.CDR_DESK_KEY_FILE = file;
  return file;
}
