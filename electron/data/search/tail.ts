// The search tail (issue 20): during a large sync new calls are written without their FTS entries; the ids above
// the watermark (search_tail.after_id, one row per database, none when every call is indexed) are searched by
// testing each tail call's folded columns, so a search stays exact to the last committed call. The tail is indexed
// in bulk when it reaches TAIL_ROWS_MAX, when the sync ends, and when the cache is opened (a killed sync's tail).
import type { Database } from 'better-sqlite3';
import { matchesWordPrefixes, plainWords, textTokenizer } from './tail-words.ts';

/** A deferring writer indexes its tail in bulk once it holds this many calls: the most a search ever scans. */
export const TAIL_ROWS_MAX = 20_000;
/** A writer thread left idle between commits (a sync waiting on its provider) indexes a tail of this many calls. */
export const IDLE_INDEX_ROWS = 2000;

/** SQL: the call is in the tail (the scalar is read when the statement runs; NULL, so false, without a tail). */
export const IN_TAIL = 'id > (SELECT after_id FROM search_tail)';

/** SQL and its parameters. */
export interface TailTest {
  sql: string;
  params: unknown[];
}

/** How tailIds begins: search.ts marks it `+id IN`, as it marks an FTS match, to test it as a list built once. */
export const TAIL_IDS = `id IN (SELECT id FROM cdrs WHERE ${IN_TAIL}`;

/**
 * SQL: the ids of tail calls passing `test`, beside an FTS match as `(match OR tailIds(test))`: an `id IN (…)`
 * too, looked up by id (the scalar is NULL without a tail, so it finds nothing), and the match stays as it is
 * for search.ts to plan.
 */
export const tailIds = (test: string) => `${TAIL_IDS} AND ${test})`;

/**
 * A tail call's text holds the query words as the FTS match would: first the words that must occur in search_text
 * as they are do (instr, in C: plainWords() in tail-words.ts), then the match itself, in JS.
 */
export function tailTextTest(db: Database, words: readonly string[]): TailTest {
  const plain = plainWords(textTokenizer(db), words);
  return {
    sql: [...plain.map(() => 'instr(search_text, ?) > 0'), 'search_tail_words(search_text, ?)'].join(' AND '),
    params: [...plain, words.join(' ')],
  };
}

/** A tail call's phone digits hold these (the trigram index's substring match). */
export const tailPhoneTest = (digits: string): TailTest => ({ sql: 'instr(phone_digits, ?) > 0', params: [digits] });

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
    const tokenizer = textTokenizer(db);
    db.function('search_tail_words', { deterministic: true }, (text, q) =>
      (matchesWordPrefixes(tokenizer, String(text ?? ''), String(q).split(' ')) ? 1 : 0));
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

/**
 * Starts deferring (if not already): every call now in cdrs is indexed, the ones written next are the tail. A
 * watermark above the newest call (the calls at the top deleted, an account removed) comes down to it: new rows
 * take the ids after the newest one, and each of them must count as the tail. No call lies between the two.
 */
export function openTail(db: Database): void {
  db.prepare(`INSERT INTO search_tail (one, after_id) SELECT 1, coalesce(max(id), 0) FROM cdrs WHERE true
    ON CONFLICT (one) DO UPDATE SET after_id = min(after_id, excluded.after_id)`).run();
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
