// Free text is matched word by word as prefixes ("answer"* finds answer and answered). For a prefix longer than
// the FTS index's own prefix lengths (migration 002: 2 and 3 characters), FTS5 merges the lists of every indexed
// word that starts with it into one list in memory before it can join it with the other words, reading all of
// them: a common word beside a rare one cost the common word's whole list. Written out as an OR of those indexed
// words, the same match is read lazily, and FTS5 skips through each word's list to the rare word's calls.
import type { Database } from 'better-sqlite3';
import { keptUntilChange, tempWritable } from './change-state.ts';

/** The FTS index answers prefixes of these lengths (characters) from its prefix index, with no merge. */
const INDEXED_PREFIX_MAX = 3;
/** A prefix of more indexed words than this stays a prefix query: the OR would cost more than the merge. */
const MAX_TERMS = 16;
/** Sorts after any letter or digit a word can hold: `prefix + TOP` bounds the words that start with prefix. */
const TOP = String.fromCodePoint(0x10ffff);

const vocabularies = new WeakSet<Database>();
/** Per connection: a token's indexed words, kept while the database has not changed. */
const termCache = keptUntilChange<string[] | null>();

/**
 * The FTS5 query for folded tokens, all required. Inside a read transaction, a token longer than the prefix index
 * holds becomes the OR of the indexed words it starts, read in that same snapshot, so no call indexed there is
 * missed; outside one (a statement read in another snapshot later) every token stays a quoted prefix.
 */
export function ftsTextQuery(db: Database | null, tokens: string[]): string {
  const parts = tokens.map((t) => {
    const terms = db?.inTransaction ? indexedWordsStarting(db, t) : null;
    if (!terms) return `"${t}"*`;
    const quoted = terms.map((w) => `"${w.replaceAll('"', '""')}"`);
    return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
  });
  return parts.join(' AND ');
}

/**
 * Whether FTS5 reads `token`'s list lazily in a read snapshot, skipping to the other words' calls: served by the
 * prefix index, or written out as its words. Else its whole list is merged first.
 */
export function readLazily(db: Database, token: string): boolean {
  return [...token].length <= INDEXED_PREFIX_MAX || (db.inTransaction && indexedWordsStarting(db, token) !== null);
}

/** The indexed words that start with `token`, or null when it is short or starts too many (or none: "t"* is cheap then). */
function indexedWordsStarting(db: Database, token: string): string[] | null {
  // A connection that may not write its temp schema cannot create the word table: its prefixes stay prefix queries.
  if ([...token].length <= INDEXED_PREFIX_MAX || !tempWritable(db)) return null;
  return termCache(db, token, () => {
    if (!vocabularies.has(db)) {
      db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.cdrs_fts_words USING fts5vocab(main, cdrs_fts, row)');
      vocabularies.add(db);
    }
    const words = db
      .prepare(`SELECT term FROM temp.cdrs_fts_words WHERE term >= ? AND term < ? LIMIT ${MAX_TERMS + 1}`)
      .pluck()
      .all(token, token + TOP) as string[];
    return words.length === 0 || words.length > MAX_TERMS ? null : words;
  });
}
