// The search tail's word test (search/tail.ts) answers exactly what the FTS5 index would: which characters are
// parts of words, and how they are folded, are those of SQLite's unicode61 tokenizer. Its tables are SQLite's own
// (an older Unicode than JavaScript's: it keeps combining marks and unassigned characters inside words, and folds
// ς into σ), so they are asked of SQLite itself, once per character, on a private in-memory connection.
import BetterSqlite3, { type Database } from 'better-sqlite3';

const tokenizers = new WeakMap<Database, string>();

/** The tokenizer cdrs_fts was created with (migration 002), read from the cache's own schema. */
export function textTokenizer(db: Database): string {
  const known = tokenizers.get(db);
  if (known !== undefined) return known;
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'cdrs_fts'").pluck().get() as string | undefined;
  const spec = sql === undefined ? null : /tokenize\s*=\s*'([^']*)'/i.exec(sql);
  if (!spec) throw new Error('the search index cdrs_fts is missing or has no tokenizer');
  tokenizers.set(db, spec[1]!);
  return spec[1]!;
}

/**
 * The only character the tokenizer folds into another one that search_text can hold: ς (final sigma) into σ.
 * test/search/tail-words.test.ts asks SQLite about every character foldText can leave and checks this list.
 */
export const FOLD_TARGETS = ['σ'];

/**
 * The query words that a matching text must hold as they are, so instr() may test them first without ever
 * refusing a match: each is one word to the tokenizer, folded into itself, with no character another folds into.
 */
export function plainWords(tokenizer: string, words: readonly string[]): string[] {
  const u = unicode61(tokenizer);
  return words.filter((w) => u.tokens(w).length === 1 && u.tokens(w)[0] === w && !FOLD_TARGETS.some((c) => w.includes(c)));
}

/** One tokenizer's characters: each one's folded form within a word, null for a separator. */
class Unicode61 {
  private readonly probe: Database;
  private readonly known = new Map<string, string | null>();
  private readonly add;
  private readonly read;

  constructor(tokenizer: string) {
    this.probe = new BetterSqlite3(':memory:');
    this.probe.exec(`CREATE VIRTUAL TABLE t USING fts5(s, tokenize='${tokenizer.replaceAll("'", "''")}');
      CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    this.add = this.probe.prepare('INSERT INTO t(rowid, s) VALUES (?, ?)');
    this.read = this.probe.prepare('SELECT doc, term FROM v ORDER BY doc, offset');
  }

  /** Learns the unknown characters of `text`: "x<c>x" is one token "x<c folded>x", or two (c separates words). */
  private learn(text: string): void {
    let fresh: Set<string> | null = null;
    for (const c of text) if (!this.known.has(c)) (fresh ??= new Set()).add(c);
    if (!fresh) return;
    const unknown = [...fresh];
    this.probe.transaction(() => {
      this.probe.exec('DELETE FROM t');
      unknown.forEach((c, i) => this.add.run(i + 1, `x${c}x`));
      const terms = new Map<number, string[]>();
      for (const { doc, term } of this.read.iterate() as Iterable<{ doc: number; term: string }>) {
        terms.set(doc, [...(terms.get(doc) ?? []), term]);
      }
      unknown.forEach((c, i) => {
        const t = terms.get(i + 1) ?? [];
        this.known.set(c, t.length === 1 ? t[0]!.slice(1, -1) : null);
      });
    })();
  }

  /** The folded words of `text`, as the tokenizer indexes them. */
  tokens(text: string): string[] {
    this.learn(text);
    const out: string[] = [];
    let word = '';
    for (const c of text) {
      const folded = this.known.get(c)!;
      if (folded !== null) word += folded;
      else if (word) {
        out.push(word);
        word = '';
      }
    }
    if (word) out.push(word);
    return out;
  }

  /** Whether `text` holds a character folded into something else (then its words are not substrings of it). */
  folds(text: string): boolean {
    this.learn(text);
    for (const c of text) {
      const folded = this.known.get(c)!;
      if (folded !== null && folded !== c) return true;
    }
    return false;
  }
}

const byTokenizer = new Map<string, Unicode61>();

function unicode61(tokenizer: string): Unicode61 {
  let u = byTokenizer.get(tokenizer);
  if (!u) byTokenizer.set(tokenizer, (u = new Unicode61(tokenizer)));
  return u;
}

/**
 * The FTS query `"w1"* "w2"* …` (filter.ts) tested on one text: each query word, split and folded as the tokenizer
 * does, is a run of the text's words, the last one a prefix. A word the tokenizer finds no characters in is left
 * out, as FTS5 leaves out its empty phrase; none left matches nothing.
 */
export function matchesWordPrefixes(tokenizer: string, text: string, queryWords: readonly string[]): boolean {
  const u = unicode61(tokenizer);
  let doc: string[] | null = null;
  let phrases = 0;
  for (const w of queryWords) {
    const q = u.tokens(w);
    if (!q.length) continue;
    phrases++;
    // Cheap refusal first: a text that folds nothing holds each of its words as a substring.
    if (q.length === 1 && q[0] === w && !text.includes(w) && !u.folds(text)) return false;
    doc ??= u.tokens(text);
    const last = q.length - 1;
    const at = (i: number) => q.every((t, k) => (k === last ? doc![i + k]?.startsWith(t) : doc![i + k] === t));
    if (!doc.some((_, i) => at(i))) return false;
  }
  return phrases > 0;
}
