// CdrWriter indexes the new rows of a write() in one statement (no per-row insert trigger): after every write the
// FTS indexes must match the rows exactly, including a page that repeats a call, a write outside any
// transaction, and a write that fails half way.
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrWriter, prepareCdr } from '../../electron/data/db/cdrs.ts';
import { migrate } from '../../electron/data/db/migrate.ts';
import { search } from '../../electron/data/search/search.ts';
import { rebuildTotals, TOTALS_TABLES } from '../../electron/data/summary/totals.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { makeCdr } from '../helpers/synthetic.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: BetterSqlite3.Database;
let writer: CdrWriter;

beforeEach(() => {
  const file = join(tempDir(), 'cdr-desk.sqlite');
  db = new BetterSqlite3(file);
  migrate(db, file);
  db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'A', 'pbx-cdr', 'http://x', 'UTC', 0, 0)").run();
  writer = new CdrWriter(db);
});
afterEach(() => db.close());

/** Throws (SQLITE_CORRUPT_VTAB) when an external-content index differs from what its content table holds. */
function indexesMatchRows(): void {
  for (const t of ['cdrs_fts', 'cdrs_phone']) db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
}
const texts = (text: string) => search(db, { filter: { text } }).rows.map((r) => r.callId).sort();
const phones = (phone: string) => search(db, { filter: { phone } }).rows.map((r) => r.callId).sort();

describe('CdrWriter search indexing', () => {
  it('indexes a page of new calls, and a call repeated in the same page under its last version', () => {
    const w = db.transaction((rows: NormalizedCdr[]) => writer.write(1, rows));
    expect(w([
      makeCdr({ callId: 'a', extraText: 'Ştefan', destination: '0912 000 111' }),
      makeCdr({ callId: 'b', extraText: 'Ioana', destination: '0912 000 222' }),
      makeCdr({ callId: 'a', extraText: 'Mihai', destination: '0912 000 333' }),
      makeCdr({ callId: 'c', extraText: 'Mihai' }),
      makeCdr({ callId: 'c', extraText: 'Mihai' }),
    ])).toEqual({ inserted: 3, updated: 1 });
    indexesMatchRows();
    expect(texts('stefan')).toEqual([]);
    expect(texts('mihai')).toEqual(['a', 'c']);
    expect(phones('000111')).toEqual([]);
    expect(phones('000333')).toEqual(['a']);
    expect(phones('000222')).toEqual(['b']);

    // The next page: one changed call, one unchanged, one new.
    expect(w([
      makeCdr({ callId: 'b', extraText: 'Ioana', destination: '0912 000 222' }),
      makeCdr({ callId: 'c', extraText: 'Elena' }),
      makeCdr({ callId: 'd', extraText: 'Elena', source: '+40 312 000 444' }),
    ])).toEqual({ inserted: 1, updated: 1 });
    indexesMatchRows();
    expect(texts('elena')).toEqual(['c', 'd']);
    expect(texts('mihai')).toEqual(['a']);
    expect(phones('000444')).toEqual(['d']);
  });

  it('keeps rows and indexes together without a transaction of the caller, and after a failed write', () => {
    expect(writer.write(1, [makeCdr({ callId: 'x', extraText: 'Nguyễn' })])).toEqual({ inserted: 1, updated: 0 });
    indexesMatchRows();
    expect(texts('nguyen')).toEqual(['x']);

    const bad = { ...makeCdr({ callId: 'z', extraText: 'Trần' }), status: 'nonsense' } as unknown as NormalizedCdr;
    expect(() => writer.write(1, [makeCdr({ callId: 'y', extraText: 'Trần' }), bad])).toThrow(/CHECK/);
    indexesMatchRows();
    expect(db.prepare("SELECT count(*) FROM cdrs WHERE call_id IN ('y', 'z')").pluck().get()).toBe(0);
    expect(texts('tran')).toEqual([]);

    // Deleting calls (an account removed) takes them out of the indexes.
    db.prepare("DELETE FROM cdrs WHERE call_id = 'x'").run();
    indexesMatchRows();
    expect(texts('nguyen')).toEqual([]);
  });

  it('writes in the caller\'s transaction (the sync commit): calls repeated before and after an indexing, all or nothing', () => {
    const prepared = (rows: NormalizedCdr[]) => rows.map(prepareCdr);
    const totals = () => TOTALS_TABLES.map((t) => db.prepare(`SELECT * FROM ${t.table} WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5`).all());
    const recounted = () => {
      let out: unknown[] = [];
      expect(() => db.transaction(() => {
        rebuildTotals(db, 1);
        out = totals();
        throw new Error('roll back');
      })()).toThrow('roll back');
      return out;
    };
    expect(() => writer.writeInTransaction(1, [prepared([makeCdr({ callId: 'o' })])])).toThrow(/transaction/);
    expect(db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(0);

    writer.write(1, [makeCdr({ callId: 'old', extraText: 'Vechi', startedAt: Date.UTC(2024, 0, 1) })]);
    const counts = db.transaction(() => writer.writeInTransaction(1, [
      prepared([
        makeCdr({ callId: 'a', extraText: 'Ana', startedAt: Date.UTC(2024, 0, 2) }),
        makeCdr({ callId: 'old', extraText: 'Nou', startedAt: Date.UTC(2024, 0, 3) }),
        makeCdr({ callId: 'b', extraText: 'Bogdan' }),
        makeCdr({ callId: 'a', extraText: 'Andrei', status: 'busy', startedAt: Date.UTC(2024, 0, 2) }),
      ]),
      prepared([
        makeCdr({ callId: 'c', extraText: 'Cezar' }),
        makeCdr({ callId: 'a', extraText: 'Alin', startedAt: Date.UTC(2024, 1, 2) }),
        makeCdr({ callId: 'c', extraText: 'Corina', destination: '0912 000 555' }),
        makeCdr({ callId: 'b', extraText: 'Bogdan' }),
      ]),
    ]))();
    expect(counts).toEqual([{ inserted: 2, updated: 2 }, { inserted: 1, updated: 2 }]);
    indexesMatchRows();
    expect(totals()).toEqual(recounted());
    expect(texts('ana')).toEqual([]);
    expect(texts('andrei')).toEqual([]);
    expect(texts('alin')).toEqual(['a']);
    expect(texts('cezar')).toEqual([]);
    expect(texts('corina')).toEqual(['c']);
    expect(texts('nou')).toEqual(['old']);
    expect(phones('000555')).toEqual(['c']);

    // A failure half way takes the caller's whole transaction back with it, its own writes included.
    const bad = { ...makeCdr({ callId: 'z' }), status: 'nonsense' } as unknown as NormalizedCdr;
    expect(() => db.transaction(() => {
      db.prepare("INSERT INTO sync_state (account_id, stream, cursor, updated_at) VALUES (1, 'default', '{}', 0)").run();
      writer.writeInTransaction(1, [prepared([makeCdr({ callId: 'y', extraText: 'Ionela' }), makeCdr({ callId: 'a', extraText: 'Alina' })]), prepared([bad])]);
    })()).toThrow(/CHECK/);
    indexesMatchRows();
    expect(db.prepare("SELECT count(*) FROM cdrs WHERE call_id IN ('y', 'z')").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sync_state').pluck().get()).toBe(0);
    expect(texts('alin')).toEqual(['a']);
    expect(texts('ionela')).toEqual([]);
    expect(totals()).toEqual(recounted());
  });

  it('finds a call by its contact and shows the name that matched, whether or not the free text holds it', () => {
    writer.write(1, [
      makeCdr({ callId: 'named', contact: 'Đỗ Thị Ngà', extraText: null }),
      makeCdr({ callId: 'in-text', contact: 'Lê Minh Châu', extraText: 'Lê Minh Châu 10.410.000' }),
      makeCdr({ callId: 'nobody', extraText: 'Ngọc' }),
    ]);
    indexesMatchRows();
    expect(texts('do thi nga')).toEqual(['named']);
    expect(texts('chau')).toEqual(['in-text']);
    const rows = search(db, { filter: { text: 'nga' } }).rows;
    expect(rows.map((r) => [r.callId, r.contact])).toEqual([['named', 'Đỗ Thị Ngà']]);
    expect(search(db, { filter: { text: 'ngoc' } }).rows.map((r) => r.contact)).toEqual([null]);
  });
});
