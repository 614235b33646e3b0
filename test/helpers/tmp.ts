// Real folders for real SQLite files, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll } from 'vitest';

/** Folders made by this test file. */
const made: string[] = [];

// One file-level hook, registered as this module loads (while the test file is collected): an afterAll() called
// from inside a test or a hook, where many folders are made, never runs. A script a test spawns
// (export/insert-loop.ts) loads this module with no test runner, where afterAll throws.
try {
  afterAll(async () => {
    for (const dir of made.splice(0)) await removeFolder(dir);
  });
} catch {
  /* no test runner in this process */
}

/**
 * Removes a folder, whole, again and again while something is still adding files to it (ENOTEMPTY). A sync writer
 * thread that was started but never used is not waited for (sync/writer.ts): it may still be opening or closing
 * the cache file in the folder, adding its -wal and -shm files as the folder is emptied. One that still cannot be
 * removed after `tries` is left and named, failing no test: cleanup is not what a test file tests.
 */
export async function removeFolder(dir: string, tries = 40): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= tries || (code !== 'ENOTEMPTY' && code !== 'EBUSY' && code !== 'EPERM')) {
        console.warn(`test folder ${dir} left: ${(err as Error).message}`);
        return;
      }
      await sleep(50);
    }
  }
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
