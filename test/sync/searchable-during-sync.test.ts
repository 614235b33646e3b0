// Time to searchable (issue 20): a search started while a first big sync runs sees every call committed so far,
// through its indexes (full text, phone fragments, filters), on the writer thread's commits too.
import { describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { searchTotal } from '../../electron/data/search/search.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { THREAD_AFTER_ROWS } from '../../electron/data/sync/writer.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

const CALLS = THREAD_AFTER_ROWS * 2 + 500;

describe('search during a first sync', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 21, calls: CALLS }), ['Big']);

  it('finds every committed call at every commit, by any index, and nothing else', async () => {
    const db = fx.ws.db;
    const committed = db.prepare('SELECT count(*) FROM cdrs').pluck();
    // A word and a phone fragment of calls spread over the whole sync (the generator reuses names and numbers).
    const word = 'popescu';
    const fragment = '0722';
    const byWord = db.prepare(`SELECT count(*) FROM cdrs WHERE (' ' || search_text || ' ') LIKE ?`).pluck();
    const byDigits = db.prepare('SELECT count(*) FROM cdrs WHERE phone_digits LIKE ?').pluck();
    const answered = db.prepare(`SELECT count(*) FROM cdrs WHERE status = 'answered'`).pluck();
    const seen: number[] = [];
    const [r] = await syncAccounts(fx.ws, {
      accounts: ['Big'],
      batchRows: 2000,
      onProgress: (p) => {
        const n = committed.get() as number;
        // Progress is reported page by page after their commit: what it counts is stored, and a search sees
        // exactly what is stored.
        expect(n).toBeGreaterThanOrEqual(p.inserted);
        expect(searchTotal(fx.ws, {})).toBe(n);
        expect(searchTotal(fx.ws, { accounts: ['Big'] })).toBe(n);
        expect(searchTotal(fx.ws, { text: word })).toBe(byWord.get(`% ${word}%`));
        expect(searchTotal(fx.ws, { phone: fragment })).toBe(byDigits.get(`%${fragment}%`));
        expect(searchTotal(fx.ws, { statuses: ['answered'] })).toBe(answered.get());
        seen.push(n);
      },
    });
    expect(r).toMatchObject({ error: null, inserted: CALLS });
    // Searched at many moments, the last ones while the writer thread committed.
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(CALLS);
    expect(searchTotal(fx.ws, { text: word })).toBeGreaterThan(0);
    expect(searchTotal(fx.ws, { phone: fragment })).toBeGreaterThan(0);
  }, 120_000);
});
