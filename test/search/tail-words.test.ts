// The search tail's word test (search/tail-words.ts) against FTS5 itself: texts whose characters SQLite's
// unicode61 tokenizer and JavaScript's Unicode classes disagree on are found (or not) in a deferred tail exactly as
// in the index; and the instr() pre-test the tail's SQL uses for plain words never refuses a call FTS5 matches.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { foldText } from '../../electron/data/search/normalize.ts';
import { search, searchTotal } from '../../electron/data/search/search.ts';
import { tailSize } from '../../electron/data/search/tail.ts';
import { FOLD_TARGETS, plainWords, textTokenizer } from '../../electron/data/search/tail-words.ts';
import type { SearchFilter } from '../../electron/shared/filter.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, SYNTHETIC_ACCOUNTS } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

/** Texts with characters the two disagree on: final sigma (folded to σ), Devanagari vowel signs (inside a word for
 * SQLite, separators for \p{L}), an unassigned code point (a word character for SQLite), New Tai Lue vowel signs
 * (letters for JavaScript, separators for SQLite), an emoji, and plain ones. */
const TEXTS = [
  'Οδος Αθηνας', 'कॉल हिंदी सेवा', 'ab\u0378cd ef', 'ᦀᦰᦁ ᦂ', 'ok 😀smile', 'popescu ștefan', 'nguyễn văn an', 'علی کریمی',
];
const QUERIES = [
  'οδοσ', 'οδος', 'αθην', 'हिंदी', 'हि', 'सेवा', 'कॉल', 'cd', 'ab', 'ab\u0378c', 'ᦀᦰᦁ', 'ᦁ', 'ᦂ', 'smile', 'ok smile',
  'pop ște', 'escu', 'nguyen van', 'کری', 'علي', 'αθηνασ',
];

describe('the tail word test agrees with FTS5', () => {
  let deferred: Workspace;
  let indexed: Workspace;
  beforeAll(async () => {
    isolatedKeyFile();
    deferred = openWorkspace(tempDir());
    indexed = openWorkspace(tempDir());
    for (const ws of [deferred, indexed]) {
      const id = await addSyntheticAccount(ws, SYNTHETIC_ACCOUNTS[0]!);
      const calls = TEXTS.map((extraText, i) => makeCdr({ callId: `w${i}`, extraText }));
      ws.db.transaction(() => new CdrWriter(ws.db, { deferIndex: ws === deferred }).write(id, calls))();
    }
  });
  afterAll(() => {
    deferred?.close();
    indexed?.close();
  });

  it('finds the same calls in the tail as in the index, for every query', () => {
    expect(tailSize(deferred.db)).toBe(TEXTS.length);
    const found = (ws: Workspace, filter: SearchFilter) => search(ws, { filter, limit: 100 }).rows.map((r) => r.callId);
    const answers = (ws: Workspace) => QUERIES.map((text) => ({ text, total: searchTotal(ws, { text }), ids: found(ws, { text }) }));
    const expected = answers(indexed);
    expect(answers(deferred)).toEqual(expected);
    // Not only empty answers agreeing; and where a test by JavaScript's \p{L}\p{N} words answers the opposite.
    const total = (text: string) => expected.find((a) => a.text === text)!.total;
    expect(QUERIES.filter((q) => total(q) > 0).length).toBeGreaterThan(QUERIES.length / 2);
    expect([total('οδοσ'), total('ᦁ'), total('cd')]).toEqual([1, 1, 0]);
  });

  it('never refuses an FTS5 match by the instr() pre-test: FOLD_TARGETS is every character the tokenizer folds another into', () => {
    // Every character search_text can hold (foldText's output), asked of the same tokenizer as cdrs_fts: the
    // characters something else folds into are exactly FOLD_TARGETS, and none vanishes inside a word.
    const chars = new Set<string>();
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp < 0xd800 || cp > 0xdfff) for (const c of foldText(String.fromCodePoint(cp))) chars.add(c);
    }
    const probe = new BetterSqlite3(':memory:');
    probe.exec(`CREATE VIRTUAL TABLE t USING fts5(s, tokenize='${textTokenizer(indexed.db)}');
      CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const list = [...chars];
    const insert = probe.prepare('INSERT INTO t(rowid, s) VALUES (?, ?)');
    const PER_DOC = 1000;
    probe.transaction(() => {
      for (let at = 0; at < list.length; at += PER_DOC) insert.run(at / PER_DOC + 1, list.slice(at, at + PER_DOC).map((c) => `x${c}x`).join(' '));
    })();
    // Each "x<c>x" is the token x<c folded>x, or the tokens x and x when c separates words.
    const terms = probe.prepare('SELECT term FROM v ORDER BY doc, offset').pluck().all() as string[];
    const folded: (string | null)[] = [];
    for (let i = 0; i < terms.length; i++) folded.push(terms[i] === 'x' ? (i++, null) : terms[i]!.slice(1, -1));
    probe.close();
    expect(folded.length).toBe(list.length);
    const targets = new Set<string>();
    list.forEach((c, i) => {
      for (const x of folded[i] ?? '') if (x !== c) targets.add(x);
    });
    expect([...targets]).toEqual(FOLD_TARGETS);
    expect(list.filter((_, i) => folded[i] === '')).toEqual([]);
    // And words with those characters are left to the JS test.
    expect(plainWords(textTokenizer(indexed.db), ['popescu', 'کریمی', 'οδοσ', 'ᦀᦰᦁ', 'ab\u0378c'])).toEqual(['popescu', 'کریمی', 'ab\u0378c']);
  });
});
