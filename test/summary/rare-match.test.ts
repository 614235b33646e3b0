// A summary with a text match read in one statement: a rare word's calls are read by id (summary/index-prefixes.ts,
// summaryFrom), a common word's from the covering index cdrs_summary; both give the figures plain SQL gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { preparedWhile } from '../helpers/prepared.ts';

isolatedKeyFile();
const CALLS = 3000;
/** Every 300th call names Zamfir (10 calls, under 1% of the cache); every call names Popa. */
const rare = (i: number) => i % 300 === 7;
let ws: Workspace;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const id = await addSyntheticAccount(ws, { name: 'RO', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  writeSynthetic(ws, id, Array.from({ length: CALLS }, (_, i) => makeCdr({
    callId: `c${i}`, campaign: ['Toamnă', 'Iarnă', null][i % 3]!, status: i % 4 ? 'answered' : 'busy',
    startedAt: Date.UTC(2024, 0, 1) + i * 3_600_000, billSec: i % 50, extraText: rare(i) ? 'Popa Zamfir' : 'Popa',
  })));
});
afterAll(() => ws.close());

/** Calls and answered calls per campaign of the calls a word matches, by plain SQL. */
function expected(word: string): Map<string | null, { total: number; answered: number }> {
  const rows = ws.db.prepare(`SELECT campaign, count(*) AS total, sum(status = 'answered') AS answered FROM cdrs
                              WHERE id IN (SELECT rowid FROM cdrs_fts WHERE cdrs_fts MATCH ?) GROUP BY campaign`).all(`"${word}"*`) as { campaign: string | null; total: number; answered: number }[];
  return new Map(rows.map((r) => [r.campaign, { total: r.total, answered: r.answered }]));
}

describe('a summary of a text match, in one statement', () => {
  for (const [word, from, matches] of [['zamfir', 'cdrs NOT INDEXED', 10], ['popa', 'cdrs INDEXED BY cdrs_summary', CALLS]] as const) {
    it(`"${word}" (${matches} calls): read from ${from}, the figures plain SQL gives`, () => {
      let rows: { key: string | null; total: number; answered: number }[] = [];
      const sql = preparedWhile(ws.db, () => (rows = summarize(ws, { filter: { text: word }, by: 'campaign' }).rows)).filter((s) => /GROUP BY/.test(s) && !s.startsWith('EXPLAIN'));
      expect(sql).toHaveLength(1);
      expect(sql[0]).toContain(`FROM ${from}`);
      const want = expected(word);
      expect([...want.values()].reduce((n, c) => n + c.total, 0)).toBe(matches);
      expect(new Map(rows.map((r) => [r.key, { total: r.total, answered: r.answered }]))).toEqual(new Map([...want].map(([k, v]) => [k ?? null, v])));

      let cells = 0;
      const matrixSql = preparedWhile(ws.db, () => {
        for (const c of hourWeekdayMatrix(ws, { filter: { text: word } }).campaigns) cells += c.total.flat().reduce((a, b) => a + b, 0);
      }).filter((s) => /GROUP BY/.test(s) && !s.startsWith('EXPLAIN'));
      expect(matrixSql.some((s) => s.includes(`FROM ${from}`))).toBe(true);
      expect(cells).toBe(matches);
    });
  }
});
