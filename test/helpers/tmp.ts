// Real folders for real SQLite files, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Folders made by this test file and not yet removed. */
const made = new Set<string>();

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

// Registered as this module loads, which is while the test file is collected: a file-level hook. An afterAll()
// called from inside a test or another hook never runs, so folders made there are removed by this one. A script
// a test spawns (export/insert-loop.ts) loads this module with no test runner, where afterAll throws.
try {
  afterAll(() => [...made].forEach(remove));
} catch {
  /* no test runner in this process */
}

/** A new folder, removed after the test file's tests. */
export function tempDir(prefix = 'cdr-desk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  afterAll(() => remove(dir));
  return dir;
}

/** Points the file secret store's key at a per-test location so tests never touch the user's real key. */
export function isolatedKeyFile(): string {
  const file = join(tempDir('cdr-desk-key-'), 'secret-store.key');
  process.env.CDR_DESK_KEY_FILE = file;
  return file;
}
