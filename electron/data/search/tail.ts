// The search tail (issue 20): during a large sync new calls are written without their FTS entries; the ids above
// the watermark (search_tail.after_id, one row per database, none when every call is indexed) are searched by
// testing each tail call's folded columns, so a search stays exact to the last committed call. The tail is indexed
// in bulk when it reaches TAIL_ROWS_MAX, when the sync ends, and when the cache is opened (a killed sync's tail).
import type { Database } from 'better-sqlite3';

/** A deferring writer indexes its tail in bulk once it holds this many calls: the most a search ever scans. */
export const TAIL_ROWS_MAX = 20_000;

/** SQL: the call is in the tail (the scalar is read when the statement runs; NULL, so false, without a tail). */
export const IN_TAIL = 'id > (SELECT after_id FROM search_tail)';
/**
 * SQL test of a tail call's text for `n` query words: each occurs in search_text (instr, cheap, in C), then each
 * begins a word of it (in JS, only for those calls). Parameters: the words one by one, then space-separated.
 */
export const tailTextSql = (n: number) =>
  `${IN_TAIL} AND ${Array.from({ length: n }, () => 'instr(search_text, ?) > 0').join(' AND ')} AND search_tail_words(search_text, ?)`;
/** SQL test of a tail call's phone digits: the `?` digits occur in them (the trigram index's substring match). */
export const TAIL_PHONE = `${IN_TAIL} AND instr(phone_digits, ?) > 0`;

/** Words as FTS5's unicode61 tokenizer splits them (its default token characters: L*, N*, Co). */
const TOKEN_RE = /[\p{L}\p{N}\p{Co}]+/gu;

/** Whether each query word is the start of some word of the folded text, as the FTS query `"w"*` … asks. */
export function hasWordPrefixes(text: string, queryWords: string): boolean {
  const tokens = text.match(TOKEN_RE) ?? [];
  return queryWords.split(' ').every((q) => tokens.some((t) => t.startsWith(q)));
}

const present = new WeakSet<Database>();
const searchable = new WeakSet<Database>();

/**
 * Whether this cache has the watermark (the search-tail migration). Only a yes is remembered: a connection opened
 * before its migration ran may have the table later.
 */
export function hasTailSchema(db: Database): boolean {
  if (present.has(db)) return true;
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_tail'").get()) return false;
  present.add(db);
  return true;
}

/**
 * Registers the tail's word test on a connection that runs searches (filter.ts, the export's threads); writers
 * never need it. Returns whether the cache has a watermark.
 */
export function prepareTailSearch(db: Database): boolean {
  if (!hasTailSchema(db)) return false;
  if (!searchable.has(db)) {
    db.function('search_tail_words', { deterministic: true }, (text, q) => (hasWordPrefixes(String(text ?? ''), String(q)) ? 1 : 0));
    searchable.add(db);
  }
  return true;
}

/** The watermark: calls with ids above it are not in the FTS indexes; null when every call is. */
export function tailStart(db: Database): number | null {
  if (!hasTailSchema(db)) return null;
  return (db.prepare('SELECT after_id FROM search_tail').pluck().get() as number | undefined) ?? null;
}

/** How many calls the tail holds (doctor, tests). */
export function tailSize(db: Database): number {
  const after = tailStart(db);
  return after === null ? 0 : (db.prepare('SELECT count(*) FROM cdrs WHERE id > ?').pluck().get(after) as number);
}

/** Starts deferring (if not already): every call now in cdrs is indexed, the ones written next are the tail. */
export function openTail(db: Database): void {
  db.prepare('INSERT OR IGNORE INTO search_tail (one, after_id) SELECT 1, coalesce(max(id), 0) FROM cdrs').run();
}

/**
 * Indexes the tail's calls in bulk and removes the watermark, in one transaction (or savepoint): every committed
 * state has either the tail or its entries. Returns how many calls were indexed.
 */
export function indexTail(db: Database): number {
  if (!hasTailSchema(db)) return 0;
  return db.transaction(() => {
    const after = tailStart(db);
    if (after === null) return 0;
    const n = db.prepare('INSERT INTO cdrs_fts(rowid, search_text) SELECT id, search_text FROM cdrs WHERE id > ?').run(after).changes;
    db.prepare('INSERT INTO cdrs_phone(rowid, phone_digits) SELECT id, phone_digits FROM cdrs WHERE id > ?').run(after);
    db.prepare('DELETE FROM search_tail').run();
    return n;
  })();
}
