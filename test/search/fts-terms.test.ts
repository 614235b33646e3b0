// Free-text prefixes written out as the indexed words they start (search/fts-terms.ts): the same calls as the
// prefix query, in every script; only inside a read snapshot; never a word list older than the index.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftsTextQuery } from '../../electron/data/search/fts-terms.ts';
import { explainSearch, search } from '../../electron/data/search/search.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { searchFixture } from './fixture.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = await searchFixture();
  const saigon = ws.db.prepare("SELECT id FROM accounts WHERE name = 'Saigon'").pluck().get() as number;
  // Seventeen words that start with "zeta": one more than a prefix is written out for.
  writeSynthetic(ws, saigon, Array.from({ length: 17 }, (_, i) => makeCdr({ callId: `zeta-${i}`, extraText: `zeta${String.fromCharCode(97 + i)}word` })));
});
afterAll(() => ws.close());

const countOf = (query: string) => ws.db.prepare('SELECT count(*) FROM cdrs_fts WHERE cdrs_fts MATCH ?').pluck().get(query) as number;
const inSnapshot = <T>(fn: () => T): T => ws.db.transaction(fn).deferred();
const callIds = (text: string) => search(ws, { filter: { text }, limit: 1000 }).rows.map((r) => r.callId).sort();

describe('free-text prefixes as indexed words', () => {
  it('match what the prefix query matches, for every prefix of every indexed word', () => {
    ws.db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.test_words USING fts5vocab(main, cdrs_fts, row)');
    const words = ws.db.prepare('SELECT term FROM temp.test_words').pluck().all() as string[];
    expect(words.some((w) => /[^\x00-\x7f]/.test(w))).toBe(true); // Persian, Vietnamese and Romanian words among them
    let rewritten = 0;
    for (const word of words) {
      const chars = [...word];
      for (let n = 1; n <= chars.length; n++) {
        const prefix = chars.slice(0, n).join('');
        const starting = words.filter((w) => w.startsWith(prefix));
        const kept = n <= 3 || starting.length > 16;
        const query = inSnapshot(() => ftsTextQuery(ws.db, [prefix]));
        expect(query).toBe(kept ? `"${prefix}"*` : starting.length === 1 ? `"${word}"` : `(${starting.map((w) => `"${w}"`).join(' OR ')})`);
        if (!kept) rewritten++;
        expect(countOf(query), `${prefix} as ${query}`).toBe(countOf(`"${prefix}"*`));
      }
    }
    expect(rewritten).toBeGreaterThan(100);
    // Several tokens: each written out on its own, all still required.
    for (const tokens of [['khuyen', 'tet'], ['unalloc', 'ofert'], ['یادآور', 'قسط'], ['zeta', 'zetab']]) {
      const query = inSnapshot(() => ftsTextQuery(ws.db, tokens));
      expect(countOf(query), query).toBe(countOf(tokens.map((t) => `"${t}"*`).join(' ')));
    }
  });

  it('writes a prefix out only in a read snapshot, past the prefix index, and for at most sixteen words', () => {
    expect(inSnapshot(() => ftsTextQuery(ws.db, ['unalloc']))).toBe('"unallocated"');
    expect(inSnapshot(() => ftsTextQuery(ws.db, ['zetab']))).toBe('"zetabword"');
    expect(ftsTextQuery(ws.db, ['unalloc'])).toBe('"unalloc"*'); // a statement run later may see newer words
    expect(inSnapshot(() => ftsTextQuery(ws.db, ['una']))).toBe('"una"*'); // the index's own prefix lengths
    expect(inSnapshot(() => ftsTextQuery(ws.db, ['zeta']))).toBe('"zeta"*'); // seventeen words
    expect(callIds('zeta')).toHaveLength(17);
  });

  it('keeps prefix queries on a connection that may not write its temp schema (PRAGMA query_only), and still finds the calls', () => {
    ws.db.pragma('query_only = ON');
    try {
      expect(inSnapshot(() => ftsTextQuery(ws.db, ['unalloc']))).toBe('"unalloc"*');
      expect(callIds('unalloc ofert')).toEqual(['ro-2']);
    } finally {
      ws.db.pragma('query_only = OFF');
    }
  });

  it('finds a word indexed after the prefix was last written out, by this connection or another', () => {
    expect(callIds('unalloc')).toEqual(['ro-2']);
    ws.db.prepare("UPDATE cdrs SET search_text = search_text || ' unallocatable' WHERE call_id = 'vn-2'").run();
    expect(callIds('unalloc')).toEqual(['ro-2', 'vn-2']);

    const other = new Database(ws.db.name);
    try {
      other.prepare("UPDATE cdrs SET search_text = search_text || ' unallocable' WHERE call_id = 'ir-1'").run();
    } finally {
      other.close();
    }
    expect(callIds('unalloc')).toEqual(['ir-1', 'ro-2', 'vn-2']);
  });
});

describe('a rare word beside a common one', () => {
  it('is listed in FTS (the rare word\'s list, the common one skipped through), not walked call by call', async () => {
    const big = openWorkspace(tempDir());
    try {
      const account = await addSyntheticAccount(big, { name: 'Bucharest', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
      // Every call holds "zumbalo"; one in ten "quokkas" too. Listing "quokkas" alone (a tenth of the calls) and
      // skipping through "zumbalo" costs less than walking the ~20 calls a page of one needs, each row read and
      // tested; listing both words whole (as a prefix query merges them) would cost more.
      const start = Date.UTC(2024, 0, 1);
      writeSynthetic(big, account, Array.from({ length: 5000 }, (_, i) =>
        makeCdr({ callId: `c-${i}`, startedAt: start + i * 60_000, extraText: i % 10 === 3 ? 'zumbalo quokkas' : 'zumbalo' })));
      const { statements } = explainSearch(big, { filter: { text: 'quokka zumba' }, limit: 1 });
      expect(statements.join(' ; ')).toMatch(/cdrs_fts MATCH/);
      expect(statements.join(' ; ')).not.toMatch(/search_tail_words/);
      const page = search(big, { filter: { text: 'quokka zumba' }, limit: 1 });
      expect(page.total).toBe(500);
      expect(page.rows.map((r) => r.callId)).toEqual(['c-4993']);
    } finally {
      big.close();
    }
  });
});
