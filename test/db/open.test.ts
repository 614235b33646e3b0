// Every connection to the cache lets its WAL grow to WAL_BYTES before a commit checkpoints it, and cuts the file
// back to that size after: a large sync's commits then copy each index page back once for many commits.
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPragmas, DB_FILE, openDatabase, WAL_BYTES } from '../../electron/data/db/open.ts';
import { tempDir } from '../helpers/tmp.ts';

const MiB = 1024 * 1024;
const open: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('the cache connection settings', () => {
  it('checkpoint the WAL at 256 MiB, on the app connection and on one opened as the sync writer opens its own', () => {
    expect(WAL_BYTES).toBe(256 * MiB);
    const dir = tempDir();
    const app = openDatabase(dir);
    const writer = new BetterSqlite3(join(dir, DB_FILE));
    applyPragmas(writer);
    open.push(app, writer);
    for (const db of [app, writer]) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      expect(pageSize).toBe(16_384);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BYTES / pageSize);
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_BYTES);
    }
  });

  it('keep 96 MiB of commits in the WAL: none of them checkpointed it (at 64 MiB one would have)', () => {
    const app = openDatabase(tempDir());
    const writer = new BetterSqlite3(app.name);
    applyPragmas(writer);
    open.push(app, writer);
    writer.exec('CREATE TABLE filler (b BLOB)');
    const add = writer.prepare('INSERT INTO filler VALUES (zeroblob(?))');
    for (let i = 0; i < 96; i++) add.run(MiB); // one commit per MiB
    const pageSize = writer.pragma('page_size', { simple: true }) as number;
    // A checkpoint at 64 MiB would have let the next commits start the WAL over: far fewer frames than written.
    const { log } = (writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!;
    expect(log * pageSize).toBeGreaterThan(96 * MiB);
  });
});
