// Every plan the search planner picks (sorted from text/phone matches, sorted from another index, a campaign
// sorted from cdrs_summary alone, a walk SQLite chooses, a sort index holding every column the filter tests walked
// to the end if need be, a walk it is told to take, bounded, stopped early for a
// sort through the index covering the filter, walked again within the filter's id span, falling back to a sort,
// call ids walked per account and merged) answers exactly what a plain reference query answers: the same total,
// and the same rows in the same order on the first page, on pages reached by cursor and on pages reached by
// offset. The cache has ties in every sort column, NULLs
// in the nullable ones, and calls bunched by account in id order (as syncs write them), so that some walks find
// their page at once and others exhaust their budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, listAccounts } from '../../electron/data/search/filter.ts';
import { explainSearch, search, searchPage, searchTotal } from '../../electron/data/search/search.ts';
import { sortPlan } from '../../electron/data/search/sort.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { SORT_FIELDS, type SearchFilter, type SortSpec } from '../../electron/shared/filter.ts';
import { addSyntheticAccount, makeCdr, seedWorkspace, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  await seedWorkspace(ws, 5000, Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1));
  // Calls with NULL end time, billed seconds, numbers, agent and direction, and many ties, written last (the
  // highest ids): they sort first ascending and last descending, and a walk meets them at one end.
  const odd = await addSyntheticAccount(ws, { name: 'Odd Lines', provider: 'pbx-cdr', timezone: 'UTC', script: 'en' });
  writeSynthetic(ws, odd, Array.from({ length: 600 }, (_, i) => makeCdr({
    callId: `odd-${i % 7}-${i}`,
    status: (['answered', 'busy', 'no_answer'] as const)[i % 3],
    direction: i % 5 === 0 ? null : i % 2 ? 'in' : 'out',
    source: i % 4 === 0 ? null : `0700${i % 9}000`,
    destination: i % 6 === 0 ? null : '+40312000000',
    startedAt: i % 10 === 0 ? null : Date.UTC(2024, 1, 1) + (i % 40) * 60_000,
    answeredAt: i % 3 === 0 ? Date.UTC(2024, 1, 1) + (i % 40) * 60_000 : null,
    endedAt: i % 8 === 0 ? null : Date.UTC(2024, 1, 1) + (i % 25) * 60_000,
    durationSec: i % 9 === 0 ? null : i % 4,
    billSec: i % 11 === 0 ? null : i % 3,
    agent: i % 2 ? null : `Agent ${i % 3}`,
    providerStatus: 'ANSWERED',
  })));
  // A few priced calls (the totals' triggers follow): a cost condition is tested on each call's row.
  ws.db.exec('UPDATE cdrs SET cost = 500 * (id % 7) WHERE id % 53 = 0');
});
afterAll(() => ws.close());

/** The plain reference: the compiled filter, no planner choice, the table read in full and sorted. */
function reference(filter: SearchFilter, sort: SortSpec): number[] {
  const { where, params } = compileFilter(ws, filter);
  const plan = sortPlan(sort, listAccounts(ws));
  const dir = sort.desc ? 'DESC' : 'ASC';
  return ws.db.prepare(`SELECT id FROM cdrs NOT INDEXED WHERE ${where} ORDER BY ${plan.expr} ${dir}, id ${dir}`).pluck().all(...params) as number[];
}

const idsOf = (rows: { callId: string; account: string }[]) => rows.map((r) => `${r.account}/${r.callId}`);

/** Up to three pages of `limit` calls, each reached by the cursor of the one before. */
function cursorPages(filter: SearchFilter, sort: SortSpec, limit: number): string[] {
  const got: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 3; page++) {
    const res = searchPage(ws, { filter, sort, limit, after });
    got.push(...idsOf(res.rows));
    if (!res.next) break;
    after = res.next;
  }
  return got;
}
const callIds = (ids: number[]) => {
  const label = ws.db.prepare('SELECT a.name || \'/\' || c.call_id FROM cdrs c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?').pluck();
  return ids.map((id) => label.get(id) as string);
};

const FILTERS: SearchFilter[] = [
  {},
  { statuses: ['answered'] },
  { statuses: ['busy', 'no_answer'], minDuration: 5 },
  { accounts: ['Tehran Dialer'] },
  { accounts: ['Odd Lines', 'Saigon Autocall'] },
  { direction: 'in' },
  { from: '2024-02-05T00:00:00Z', to: '2024-02-12T00:00:00Z' },
  // Local dates, read in each account's own zone (one range per zone): by start time, walked within their span.
  { from: '2024-02-05', to: '2024-02-20' },
  { from: '2024-02-05', to: '2024-03-01', minDuration: 5, text: 'answered' },
  { minDuration: 60 },
  { text: 'answered' },
  { text: 'answered', statuses: ['answered'], direction: 'out' },
  { phone: '000' },
  { phone: '312', statuses: ['answered', 'busy'], accounts: ['Bucharest PBX', 'Odd Lines'] },
  { phone: '0700' },
  { minDuration: 3, statuses: ['answered'], direction: 'out' },
  // The largest campaign (of Saigon Autocall): sorted from cdrs_summary alone, every account named; by caller,
  // callee or call id (not in that index) its walk stops for a sort once its covering index counts few calls.
  { campaign: 'Khuyến mãi Tết' },
  { campaign: 'Khuyến mãi Tết', statuses: ['answered'], direction: 'out' },
  // Each sort index holds the direction (and accounts, statuses, times, durations): SQLite walks it alone.
  { text: 'answered', direction: 'in' },
  // No index holds the cost: a text walk that runs out is sorted from the text's list of matches.
  { text: 'answered', minCost: 0.01 },
  // No index tests a two-digit phone fragment: the walk is not stopped early, and is tried again in the id span.
  { accounts: ['Odd Lines', 'Tehran Dialer'], phone: '07' },
  // A number typed as text: a word starting with it or a phone number holding it, in most calls.
  { text: '0700' },
];
const SORTS: SortSpec[] = SORT_FIELDS.flatMap((field) => [{ field, desc: false }, { field, desc: true }]);
const PAGE = 40;

describe('every plan answers what the plain reference query answers', { timeout: 300_000 }, () => {
  it('totals, first pages, cursor pages and offset pages, for every sort both ways', () => {
    const statements: string[][] = [];
    for (const filter of FILTERS) {
      const total = searchTotal(ws, filter);
      for (const sort of SORTS) {
        const want = callIds(reference(filter, sort));
        const label = `${JSON.stringify(filter)} sort ${sort.field}${sort.desc ? ':desc' : ''}`;
        expect(total, label).toBe(want.length);
        const got = cursorPages(filter, sort, PAGE);
        expect(got, `${label}: cursor pages`).toEqual(want.slice(0, got.length));
        expect(got.length, `${label}: cursor pages`).toBe(Math.min(want.length, 3 * PAGE));
        expect(idsOf(search(ws, { filter, sort, limit: PAGE, offset: 2 * PAGE }).rows), `${label}: offset`).toEqual(want.slice(2 * PAGE, 3 * PAGE));
        // The last page, by offset and by a cursor on the call before it: a bounded walk finds fewer calls than
        // asked there, and falls back to sorting.
        if (want.length > PAGE) {
          const last = want.length - PAGE + 1;
          expect(idsOf(searchPage(ws, { filter, sort, limit: PAGE, offset: last }).rows), `${label}: last page`).toEqual(want.slice(last));
        }
        statements.push(explainSearch(ws, { filter, sort, limit: PAGE }).statements);
      }
    }
    // The set reaches each plan (a check of the cases, not of chance: the data and filters are fixed).
    const all = statements.map((s) => s.join(' ; '));
    expect(all.some((s) => /INDEXED BY/.test(s) && !s.includes(' ; ')), 'a bounded walk that fills the page').toBe(true);
    expect(all.some((s) => /INDEXED BY/.test(s) && s.includes(' ; ')), 'a bounded walk that falls back to a sort').toBe(true);
    expect(all.some((s) => /INDEXED BY [^;]* WHERE id BETWEEN \d+ AND \d+/.test(s)), 'a bounded walk again within the filter\'s id span').toBe(true);
    expect(all.some((s) => /ORDER BY \+/.test(s)), 'matches fetched and sorted').toBe(true);
    expect(all.some((s) => /^SELECT id, \(.*\) AS ok FROM cdrs INDEXED BY cdrs_started WHERE started_at >= \d+ AND started_at < \d+ ORDER BY/.test(s)),
      'a window read in several zones, walked in start order within their span').toBe(true);
    expect(all.some((s) => /^SELECT id, \(status = \? AND \(.+\)\) AS ok FROM cdrs NOT INDEXED( WHERE id [<>] \?)? ORDER BY id (ASC|DESC) LIMIT \d+$/.test(s)),
      'a filter by status read group by group, a large group walked in id order').toBe(true);
    expect(all.some((s) => /AS ok FROM cdrs NOT INDEXED[^;]* ; SELECT id FROM cdrs WHERE status = \? AND \(/.test(s)),
      'a status group whose walk ran out, sorted').toBe(true);
    expect(all.some((s) => /^SELECT id FROM cdrs INDEXED BY cdrs_account_id WHERE account_id = \? ORDER BY id (ASC|DESC) LIMIT \d+/.test(s)), 'all calls by account, account by account in id order').toBe(true);
    expect(all.some((s) => /^SELECT id, \(.+\) AS ok FROM cdrs INDEXED BY cdrs_account_id WHERE account_id = \?/.test(s)), 'a filter by account, each account\'s calls walked in id order').toBe(true);
    expect(all.some((s) => /^SELECT id FROM cdrs INDEXED BY cdrs_(answered|ended|duration|bill|source|destination|agent|direction) WHERE [^;]* ORDER BY (?!\+)[^;]* LIMIT \? OFFSET \?$/.test(s)),
      'a sort index holding every column the filter tests, walked by SQLite alone').toBe(true);
    expect(all.some((s) => /INDEXED BY sqlite_autoindex_cdrs_1 WHERE account_id = \d+/.test(s) && /json_each/.test(s)), 'call ids walked per account and merged').toBe(true);
    expect(all.some((s) => /WHERE account_id = \d+ AND \(.*ORDER BY \+call_id/.test(s) && /json_each/.test(s)), 'an account\'s call ids sorted when its walk runs out').toBe(true);
    expect(all.some((s) => /cdrs_phone/.test(s)) && all.some((s) => /phone_digits LIKE/.test(s)), 'a phone fragment listed, and tested on rows').toBe(true);
    expect(all.some((s) => /INDEXED BY cdrs_\w+ ORDER BY [^;]* ; SELECT id FROM cdrs NOT INDEXED WHERE (cost [^;]* AND )?id IN \(SELECT rowid FROM cdrs_fts WHERE cdrs_fts MATCH \?\)( AND cost [^;]*)? ORDER BY \+/.test(s)),
      'a text walk that ran out, sorted from its list of matches').toBe(true);
    expect(all.some((s) => /^SELECT id FROM cdrs WHERE account_id IN \([\d,]+\) AND campaign = \? ORDER BY \+/.test(s)), 'a campaign sorted from cdrs_summary').toBe(true);
    expect(all.some((s) => /INDEXED BY cdrs_\w+ ORDER BY [^;]* ; SELECT count\(\*\) FROM \(SELECT 1 FROM cdrs WHERE [^;]* ; SELECT id FROM cdrs INDEXED BY \w+ WHERE [^;]*ORDER BY \+[^;]*$/.test(s)),
      'a walk stopped at a quarter of its budget, sorted through the covering index of its conditions').toBe(true);
    expect(all.some((s) => /; SELECT count\(\*\) FROM \(SELECT 1 FROM cdrs WHERE account_id = \d+ AND [^;]* ; SELECT id FROM \(SELECT id FROM cdrs INDEXED BY \w+ WHERE account_id = \d+ AND [^;]*ORDER BY \+call_id/.test(s)),
      'an account\'s call ids sorted through the covering index of its conditions, its walk stopped early').toBe(true);
  });

  it('a match in most calls, walked with each call\'s own text and digits tested (small pages: the walk pays at this size), answers as the reference does', () => {
    const SMALL = 5;
    const statements: string[] = [];
    for (const filter of [{ text: 'answered' }, { text: 'answered', direction: 'out' }, { text: '0700' }, { phone: '0700' }, { text: 'busy' }] as SearchFilter[]) {
      for (const sort of SORTS) {
        const want = callIds(reference(filter, sort));
        const label = `${JSON.stringify(filter)} sort ${sort.field}${sort.desc ? ':desc' : ''}`;
        expect(cursorPages(filter, sort, SMALL), `${label}: cursor pages`).toEqual(want.slice(0, Math.min(want.length, 3 * SMALL)));
        expect(idsOf(search(ws, { filter, sort, limit: SMALL, offset: 2 * SMALL }).rows), `${label}: offset`).toEqual(want.slice(2 * SMALL, 3 * SMALL));
        statements.push(explainSearch(ws, { filter, sort, limit: SMALL }).statements.join(' ; '));
      }
    }
    const walked = /^SELECT id, \(.*(search_tail_words\(search_text, \?\)|instr\(phone_digits, \?\))/;
    expect(statements.some((s) => walked.test(s) && !s.includes(' ; ') && !/cdrs_fts|cdrs_phone/.test(s)), 'a dense walk that fills the page').toBe(true);
    expect(statements.some((s) => walked.test(s) && s.includes(' ; ')), 'a dense walk that gives up').toBe(true);
    expect(statements.some((s) => !walked.test(s)), 'a match left to the usual plans (rare in the sample, or no sort index)').toBe(true);
  });

  it('a cursor deep in a bounded walk (past the NULLs, across ties) continues exactly where the reference does', () => {
    for (const [filter, sort] of [
      [{ accounts: ['Odd Lines', 'Saigon Autocall'] }, { field: 'endedAt', desc: true }],
      [{ accounts: ['Odd Lines'] }, { field: 'billSec', desc: false }],
      [{ direction: 'in' }, { field: 'source', desc: true }],
      [{ statuses: ['answered'] }, { field: 'direction', desc: false }],
      // Group by group, across every group's end: accounts (each in its own index) and statuses with a filter.
      [{}, { field: 'account', desc: false }],
      [{ direction: 'in' }, { field: 'account', desc: true }],
      [{ minDuration: 2 }, { field: 'status', desc: true }],
    ] as [SearchFilter, SortSpec][]) {
      const want = callIds(reference(filter, sort));
      const got: string[] = [];
      let after: string | undefined;
      do {
        const res = searchPage(ws, { filter, sort, limit: 250, after });
        got.push(...idsOf(res.rows));
        expect(got.length).toBeLessThanOrEqual(want.length); // a cursor that stops advancing fails, not loops
        after = res.next ?? undefined;
      } while (after);
      expect(got, `${JSON.stringify(filter)} sort ${sort.field}`).toEqual(want);
    }
  });
});
