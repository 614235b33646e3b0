// Migration 2 (search) on a version-1 database that already holds calls: derived columns back-filled, FTS
// indexes filled and kept in step by triggers on insert, update and delete.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CdrWriter } from '../../../electron/data/db/cdrs.ts';
import { migrate, schemaVersion } from '../../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../../electron/data/db/migrations/index.ts';
import { search } from '../../../electron/data/search/search.ts';
import { makeCdr } from '../../helpers/synthetic.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('migration 2: search', () => {
  it('back-fills rows cached before it, and keeps the indexes in step afterwards', () => {
    const file = join(tempDir(), 'cdr-desk.sqlite');
    const db = new BetterSqlite3(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'Saigon', 'tel4vn-v3', 'http://x', 'Asia/Ho_Chi_Minh', 0, 0)").run();
    db.prepare(
      `INSERT INTO cdrs (account_id, call_id, campaign, destination, status, extra_text, raw, first_seen_at, updated_at)
       VALUES (1, 'old-1', 'Khuyến mãi', '+84 775 702 541', 'answered', 'Đỗ Thị Ngà', '{}', 0, 0)`,
    ).run();

    migrate(db, file);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(2);
    expect(db.prepare("SELECT search_text, phone_digits FROM cdrs WHERE call_id = 'old-1'").get()).toEqual({
      search_text: expect.stringContaining('do thi nga'),
      phone_digits: ' 84775702541',
    });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'saved_searches'").pluck().get()).toBe(1);
    const texts = (text: string) => search(db, { filter: { text } }).rows.map((r) => r.callId);
    expect(texts('nga')).toEqual(['old-1']);
    expect(search(db, { filter: { phone: '702 541' } }).total).toBe(1);

    // Written by CdrWriter after the migration: indexed on insert, re-indexed on change, dropped on delete.
    const writer = new CdrWriter(db);
    writer.write(1, [makeCdr({ callId: 'new-1', extraText: 'Ştefan', destination: '0912 000 111' })]);
    expect(texts('stefan')).toEqual(['new-1']);
    writer.write(1, [makeCdr({ callId: 'new-1', extraText: 'Ioana', destination: '0912 000 111' })]);
    expect(texts('stefan')).toEqual([]);
    expect(texts('ioana')).toEqual(['new-1']);
    db.prepare("DELETE FROM cdrs WHERE call_id = 'new-1'").run();
    expect(texts('ioana')).toEqual([]);
    expect(search(db, { filter: { phone: '000111' } }).total).toBe(0);
    expect(db.prepare("INSERT INTO cdrs_fts(cdrs_fts, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
    db.close();
  });
});
