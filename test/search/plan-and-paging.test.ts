import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import { HANDLERS, type HandlerContext } from '../../electron/data/host/handlers.ts';
import { createReader } from '../../electron/data/host/reader.ts';
import { explainSearch, search, searchPage, searchTotal, type SearchOptions, type SearchPage } from '../../electron/data/search/search.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { makeCdr, seedWorkspace, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { preparedWhile } from '../helpers/prepared.ts';

isolatedKeyFile();
let ws: Workspace;
let saigon: number;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const ids = await seedWorkspace(ws, 1500, Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1));
  saigon = ids.get('Saigon Autocall')!;
});
afterAll(() => ws.close());

describe('indexes used by the common filters (EXPLAIN QUERY PLAN)', () => {
  const plan = (filter: SearchFilter) => {
    const p = explainSearch(ws, { filter });
    return { page: p.page.join(' | '), count: p.count.join(' | ') };
  };

  it('newest first with no filter walks the started_at index (no sort step)', () => {
    const p = plan({});
    expect(p.page).toMatch(/USING (COVERING )?INDEX cdrs_started/);
    // Only calls starting in the same millisecond are put in id order (the index holds direction and duration
    // between started_at and the id); the result as a whole is never sorted.
    expect(p.page).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('one account, with or without a time window, uses (account_id, started_at)', () => {
    expect(plan({ accounts: ['Saigon Autocall'] }).page).toMatch(/USING (COVERING )?INDEX cdrs_account_started \(account_id=\?\)/);
    const w = plan({ accounts: ['Saigon Autocall'], from: '2024-02-01', to: '2024-02-10' });
    expect(w.page).toMatch(/USING (COVERING )?INDEX cdrs_account_started \(account_id=\? AND started_at>\? AND started_at<\?\)/);
    expect(w.count).toMatch(/USING COVERING INDEX cdrs_account_started/);
  });

  it('local dates across accounts in several zones still give the started_at index a range', () => {
    // Either the outer range on started_at, or each zone's accounts by (account_id, started_at).
    expect(plan({ from: '2024-02-01', to: '2024-02-10' }).page).toMatch(/INDEX cdrs_(account_)?started \((account_id=\? AND )?started_at>\? AND started_at<\?\)/);
    expect(plan({ from: '2024-02-01', to: '2024-02-10' }).page).not.toMatch(/SCAN cdrs( |$)/);
  });

  it('a time window across accounts uses the started_at index', () => {
    expect(plan({ from: '2024-02-01T00:00:00Z', to: '2024-02-02T00:00:00Z' }).page).toMatch(/cdrs_started \(started_at>\? AND started_at<\?\)/);
  });

  it('statuses and campaign use their indexes', () => {
    expect(plan({ statuses: ['busy'] }).count).toMatch(/cdrs_status_started \(status=\?\)/);
    expect(plan({ campaign: 'Khuyến mãi Tết' }).count).toMatch(/cdrs_campaign_started \(campaign=\?\)/);
  });

  it('free text and phone fragments go through their FTS5 indexes', () => {
    expect(plan({ text: 'nguyen' }).count).toMatch(/SCAN cdrs_fts VIRTUAL TABLE INDEX/);
    expect(plan({ phone: '0912' }).count).toMatch(/SCAN cdrs_phone VIRTUAL TABLE INDEX/);
  });

  it('a narrow duration range uses the duration index, a wide one a covering index', () => {
    expect(plan({ minDuration: 600 }).count).toMatch(/cdrs_duration \(duration_sec>\? AND duration_sec<\?\)/);
    expect(plan({ minDuration: 5, direction: 'out' }).count).toMatch(/COVERING INDEX/);
    expect(plan({ minDuration: 5, direction: 'out' }).count).not.toMatch(/cdrs_duration/);
  });
});

describe('keyset paging under inserts', () => {
  it('pages neither repeat nor skip a row while newer and older calls arrive between pages', () => {
    const filter: SearchFilter = { accounts: ['Saigon Autocall'] };
    const before = new Set(search(ws, { filter, limit: 10_000 }).rows.map((r) => r.callId));
    const seen: string[] = [];
    let after: string | undefined;
    let round = 0;
    do {
      const page = search(ws, { filter, limit: 250, after });
      seen.push(...page.rows.map((r) => r.callId));
      after = page.next ?? undefined;
      // A sync lands between two pages: calls newer than anything shown, and one older than everything.
      writeSynthetic(ws, saigon, [
        makeCdr({ callId: `late-new-${round}`, startedAt: Date.UTC(2030, 0, 1) + round }),
        makeCdr({ callId: `late-old-${round}`, startedAt: Date.UTC(2000, 0, 1) + round }),
      ]);
      round++;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length); // no repeats
    for (const id of before) expect(seen).toContain(id); // nothing that existed was skipped
    // Older calls inserted while paging are reached (they sort after the cursor); newer ones are not re-served.
    expect(seen.filter((id) => id.startsWith('late-new'))).toEqual([]);
    expect(seen.some((id) => id.startsWith('late-old'))).toBe(true);
  });
});

describe('plans chosen by match count give the same answers', () => {
  it('a common word (walking the sort index) finds exactly what the equivalent filter finds', () => {
    // Provider status text equals the normalized status in synthetic calls (not in the hand-made ones added by
    // the paging test, outside 2024), so the word "answered" must match the status filter.
    for (const accounts of [undefined, ['Pune Voice']]) {
      const year = { from: '2024-01-01', to: '2024-12-31', accounts };
      const byText = search(ws, { filter: { text: 'answered', ...year }, limit: 100 });
      const byStatus = search(ws, { filter: { statuses: ['answered'], ...year }, limit: 100 });
      expect(byText.total).toBeGreaterThan(accounts ? 500 : 2000);
      expect(byText.total).toBe(byStatus.total);
      expect(byText.rows.map((r) => r.callId)).toEqual(byStatus.rows.map((r) => r.callId));
      expect(explainSearch(ws, { filter: { text: 'answered', accounts } }).page.join(' ')).toMatch(/cdrs_(account_)?started/);
    }
  });

  it('a common phone fragment (tested row by row) finds exactly the numbers that contain it', () => {
    const all = search(ws, { filter: {}, limit: 10_000 }).rows;
    const expected = all.filter((r) => [r.source, r.destination].some((n) => (n ?? '').replace(/\D/g, '').includes('000000')));
    expect(expected.length).toBeGreaterThan(2000);
    const got = search(ws, { filter: { phone: '000 000' }, limit: 10_000 });
    expect(got.total).toBe(expected.length);
    expect(got.rows.map((r) => r.callId)).toEqual(expected.map((r) => r.callId));
    expect(explainSearch(ws, { filter: { phone: '000000' } }).page.join(' ')).not.toMatch(/cdrs_phone/);
  });

  it('a common phone fragment beside a rarer word is tested on the word\'s calls, and finds exactly the same', () => {
    const all = search(ws, { filter: {}, limit: 10_000 }).rows;
    const withDigits = (r: (typeof all)[number], d: string) => [r.source, r.destination].some((n) => (n ?? '').replace(/\D/g, '').includes(d));
    const word = search(ws, { filter: { text: 'busy' }, limit: 10_000 }).rows;
    const expected = word.filter((r) => withDigits(r, '000'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(word.length);
    for (const sort of [undefined, { field: 'agent', desc: false } as const]) {
      const got = search(ws, { filter: { text: 'busy', phone: '000' }, sort, limit: 10_000 });
      expect(got.total).toBe(expected.length);
      expect(new Set(got.rows.map((r) => r.callId))).toEqual(new Set(expected.map((r) => r.callId)));
    }
    const plans = explainSearch(ws, { filter: { text: 'busy', phone: '000' } });
    expect(plans.count.join(' ')).not.toMatch(/cdrs_phone/);
    expect(plans.page.join(' ')).not.toMatch(/cdrs_phone/);
    // As an alternative to the text (a number typed in the text box), the fragment keeps its index.
    expect(explainSearch(ws, { filter: { text: '000' } }).count.join(' ')).toMatch(/cdrs_phone/);
  });
});

describe('a phone fragment: its matches fetched and sorted, or the time index walked, by how many there are', () => {
  // 20,000 calls: walking the time index tests ~101 × 20,000 / matches rows, each dearer than fetching a match,
  // so fetching and sorting wins below sqrt(10 × 101 × 20,000) ≈ 4,494 matches (search.ts WALK_STEP_COST).
  let big: Workspace;
  beforeAll(async () => {
    big = openWorkspace(tempDir());
    await big.accounts.add({ name: 'Many', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'UTC', secrets: { token: 't', apiKey: 'k' } });
    const calls = Array.from({ length: 20_000 }, (_, i) => makeCdr({
      callId: `c${i}`,
      startedAt: Date.UTC(2024, 0, 1) + ((i * 7919) % 20_000) * 60_000, // stored out of time order
      destination: i % 7 === 0 ? `0555123${String(i).padStart(5, '0')}` : `07${String(i * 31).padStart(8, '0')}`,
      source: i % 2 === 0 ? '0777000111' : null,
    }));
    writeSynthetic(big, big.accounts.get('Many').id, calls);
  });
  afterAll(() => big.close());

  const everyCall = () => search(big, { filter: {}, limit: 10_000 }).rows.concat(search(big, { filter: {}, limit: 10_000, offset: 10_000 }).rows);

  it('1,429 matches (fewer than 2,000): fetched through the trigram index and sorted', () => {
    const page = explainSearch(big, { filter: { phone: '05551230' } }).page.join(' | ');
    expect(page).toMatch(/cdrs_phone/);
    expect(page).toMatch(/TEMP B-TREE FOR ORDER BY/);
    const got = search(big, { filter: { phone: '05551230' }, limit: 100 });
    expect(got.total).toBe(1429);
    expect(got.rows.map((r) => r.callId)).toEqual(everyCall().filter((r) => r.destination?.startsWith('05551230')).slice(0, 100).map((r) => r.callId));
  });

  it('few matches beside a common condition: that condition counted no further than the matches, which lead', () => {
    const filter = { phone: '05551230', from: '2024-01-01', to: '2024-01-13' };
    const prepared = preparedWhile(big.db, () => searchPage(big, { filter }));
    const counts = prepared.map((sql) => /^SELECT count\(\*\) FROM \(SELECT 1 FROM cdrs WHERE .*started_at.* LIMIT (\d+)\)$/.exec(sql)).filter(Boolean);
    expect(counts.map((m) => Number(m![1]))).toEqual([1429]);
    const inWindow = (r: { startedAt: string | null }) => r.startedAt !== null && r.startedAt < '2024-01-14';
    const want = everyCall().filter((r) => r.destination?.startsWith('05551230') && inWindow(r)).slice(0, 100).map((r) => r.callId);
    expect(search(big, { filter }).rows.map((r) => r.callId)).toEqual(want);
  });

  it('2,858 matches (more than 2,000, fewer than ~4,500): listed from the trigram index and tested by id on a walk of the time index, no row read', () => {
    // The time index holds every column the filter tests (the id), so each step of its walk costs far less than
    // fetching a match (search.ts COVERED_STEP_COST): the walk wins from 2,000 matches on.
    const page = explainSearch(big, { filter: { phone: '0555123' } }).page.join(' | ');
    expect(page).toMatch(/cdrs_phone/);
    expect(page).toMatch(/SCAN cdrs USING COVERING INDEX cdrs_started/);
    expect(page).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    const got = search(big, { filter: { phone: '0555123' }, limit: 100 });
    expect(got.total).toBe(2858);
    expect(got.rows.map((r) => r.callId)).toEqual(everyCall().filter((r) => r.destination?.startsWith('0555123')).slice(0, 100).map((r) => r.callId));
  });

  it('10,000 matches: the time index walked, each row tested', () => {
    const page = explainSearch(big, { filter: { phone: '0777000' } }).page.join(' | ');
    expect(page).not.toMatch(/cdrs_phone/);
    expect(page).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    expect(search(big, { filter: { phone: '0777000' }, limit: 1 }).total).toBe(10_000);
  });

  const holding = (digits: string) => everyCall().filter((r) => [r.source, r.destination].some((n) => (n ?? '').includes(digits)));

  it('a match in half the calls, a small page: one walk of the time index, each call\'s own digits or text tested, no FTS list', () => {
    // Listing 10,000 matches costs more than walking ~2 × 11 calls, each read and tested (search/dense.ts ROW_TEST_COST).
    for (const filter of [{ phone: '0777000' }, { text: '0777000' }]) {
      const { statements, page } = explainSearch(big, { filter, limit: 10 });
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^SELECT id, \(.*instr\(phone_digits, \?\).* FROM cdrs INDEXED BY cdrs_started /);
      expect(page.join(' | ')).not.toMatch(/cdrs_phone|cdrs_fts/);
      const first = searchPage(big, { filter, limit: 10 });
      expect(first.rows.map((r) => r.callId)).toEqual(holding('0777000').slice(0, 10).map((r) => r.callId));
      const second = searchPage(big, { filter, limit: 10, after: first.next! });
      expect(second.rows.map((r) => r.callId)).toEqual(holding('0777000').slice(10, 20).map((r) => r.callId));
    }
    // A rarer match (one call in seven), or a page of 100, is read the usual way.
    expect(explainSearch(big, { filter: { phone: '0555123' }, limit: 10 }).statements.join(' ; ')).not.toMatch(/instr\(phone_digits/);
    expect(explainSearch(big, { filter: { phone: '0777000' }, limit: 100 }).statements.join(' ; ')).not.toMatch(/instr\(phone_digits/);
  });

  it('a number typed as text is counted as the union of its word\'s and its digits\' lists, no call read', () => {
    const { count } = explainSearch(big, { filter: { text: '0777000' } });
    expect(count.join(' | ')).toMatch(/UNION/);
    expect(count.join(' | ')).not.toMatch(/SEARCH cdrs /);
    expect(searchTotal(big, { text: '0777000' })).toBe(holding('0777000').length);
    // Beside another condition, the two lists are one list of ids too.
    const answered = explainSearch(big, { filter: { text: '0777000', statuses: ['answered'] } }).count.join(' | ');
    expect(answered).toMatch(/UNION/);
    expect(searchTotal(big, { text: '0777000', statuses: ['answered'] })).toBe(holding('0777000').filter((r) => r.status === 'answered').length);
  });
});

describe('a total with text beside a condition an index holds', () => {
  // 30,000 calls, two in three answered, the others busy: "zebra" in 2,500 of them (counted exactly: under the
  // sizing cap), "tiger" in 6,000 and "lion" in 15,000 (over it); "heron" in 1,500, "okapi" in 30. Seeking 2,500
  // calls by id in cdrs_id_filters costs less than 30,000 entries of the status index (search.ts
  // ID_INDEX_STEP_COST, COVERED_STEP_COST); so do 6,000, a quarter of 30,000 calls less (the running totals count
  // the statuses' calls); 15,000 do not.
  let zoo: Workspace;
  beforeAll(async () => {
    zoo = openWorkspace(tempDir());
    await zoo.accounts.add({ name: 'Zoo', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'UTC', secrets: { token: 't', apiKey: 'k' } });
    writeSynthetic(zoo, zoo.accounts.get('Zoo').id, Array.from({ length: 30_000 }, (_, i) => makeCdr({
      callId: `z${i}`,
      startedAt: Date.UTC(2024, 0, 1) + i * 60_000,
      status: i % 3 === 0 ? 'busy' : 'answered',
      extraText: [i % 12 === 0 ? 'zebra' : '', i % 2 === 0 ? 'lion' : '', i % 5 === 0 ? 'tiger' : '', i % 1000 === 0 ? 'okapi' : '', i % 20 === 0 ? 'heron' : ''].join(' '),
    })));
  });
  afterAll(() => zoo.close());

  it('a page of a word beside one status walks that status\'s calls in start order, its text a list of ids, no row read', () => {
    // 2,500 matches: too many to read each row by id, against a walk of busy calls testing each entry's id alone.
    const { page } = explainSearch(zoo, { filter: { text: 'zebra', statuses: ['busy'] } });
    expect(page.filter((d) => /cdrs /.test(d))).toEqual(['SEARCH cdrs USING COVERING INDEX cdrs_status_started (status=?)']);
    const want = Array.from({ length: 100 }, (_, k) => `z${29_988 - 12 * k}`);
    expect(search(zoo, { filter: { text: 'zebra', statuses: ['busy'] } }).rows.map((r) => r.callId)).toEqual(want);
  });

  it('a few thousand matches lead the count, each sought by id in cdrs_id_filters; a common word is a list tested on the status index', () => {
    const rare = explainSearch(zoo, { filter: { text: 'zebra', statuses: ['busy', 'answered'] } }).count;
    expect(rare.filter((d) => /cdrs /.test(d))).toEqual(['SEARCH cdrs USING COVERING INDEX cdrs_id_filters (id=?)']);
    expect(searchTotal(zoo, { text: 'zebra', statuses: ['busy', 'answered'] })).toBe(2500);
    expect(searchTotal(zoo, { text: 'zebra', statuses: ['busy'] })).toBe(2500);
    const common = explainSearch(zoo, { filter: { text: 'lion', statuses: ['busy', 'answered'] } }).count.join(' | ');
    expect(common).toMatch(/COVERING INDEX cdrs_status_started/);
    expect(searchTotal(zoo, { text: 'lion', statuses: ['answered'] })).toBe(10_000);
  });

  it('a page led by its matches seeks them in cdrs_id_filters when that index holds the sort value, else reads their rows', () => {
    // "okapi" in 30 calls, 20 of them answered: so few that the page is sorted from their list.
    const answered = Array.from({ length: 30 }, (_, k) => k).filter((k) => k % 3 !== 0).map((k) => `z${k * 1000}`);
    const filter = { text: 'okapi', statuses: ['answered' as const] };
    for (const [sort, reads, order] of [
      [{ field: 'startedAt', desc: true }, 'SEARCH cdrs USING COVERING INDEX cdrs_id_filters (id=?)', [...answered].reverse()],
      [{ field: 'durationSec', desc: false }, 'SEARCH cdrs USING COVERING INDEX cdrs_id_filters (id=?)', answered],
      [{ field: 'callId', desc: false }, 'SEARCH cdrs USING INTEGER PRIMARY KEY (rowid=?)', [...answered].sort()],
    ] as const) {
      expect(explainSearch(zoo, { filter, sort }).page.filter((d) => /cdrs /.test(d)), sort.field).toEqual([reads]);
      const first = search(zoo, { filter, sort, limit: 15 });
      expect(first.total).toBe(20);
      const second = searchPage(zoo, { filter, sort, limit: 15, after: first.next! });
      expect([...first.rows, ...second.rows].map((r) => r.callId), sort.field).toEqual(order);
    }
  });

  it('a search decides whether to walk the sort order from its total and its word\'s list counted, reading no sample of calls', () => {
    const isSample = (sql: string) => /^SELECT count\(\*\) AS n, sum\(/.test(sql);
    const walks = (sql: string) => /^SELECT id, \(.*search_tail_words.*\) AS ok FROM cdrs INDEXED BY cdrs_started WHERE 1 ORDER BY started_at DESC/.test(sql);
    const listCount = (sql: string) => /^SELECT count\(\*\) FROM \(SELECT 1 FROM cdrs_fts WHERE cdrs_fts MATCH \? LIMIT (\d+)\)$/.exec(sql)?.[1];
    const read = (opts: SearchOptions) => {
      let found: SearchPage | undefined;
      const prepared = preparedWhile(zoo.db, () => (found = search(zoo, opts)));
      let paged: SearchPage | undefined;
      const pagedAlone = preparedWhile(zoo.db, () => (paged = searchPage(zoo, opts)));
      // A page alone (no total) still reads a sample, and gives the same rows.
      expect(pagedAlone.some(isSample)).toBe(true);
      expect(paged!.rows).toEqual(found!.rows);
      return { rows: found!.rows.map((r) => r.callId), sampled: prepared.some(isSample), walked: prepared.some(walks), counts: prepared.map(listCount).filter(Boolean) };
    };
    // "zebra" in 2,500 of 30,000 calls: a page of 100 walks about 1,200 calls, dearer than listing every call
    // (search/dense.ts ROW_TEST_COST): its total alone rules the walk out.
    const zebra = read({ filter: { text: 'zebra' } });
    expect(zebra).toMatchObject({ sampled: false, walked: false });
    expect(zebra.rows).toEqual(Array.from({ length: 100 }, (_, k) => `z${29_988 - 12 * k}`));
    // "heron" in 1,500 calls, a page of 9: a walk of about 200 calls could cost less than listing every call. Its
    // list is counted up to where the walk pays (2 × 60 × 200 entries): 1,500 cost less still.
    const heron = read({ filter: { text: 'heron', statuses: ['busy', 'answered'] }, limit: 9 });
    expect(heron).toMatchObject({ sampled: false, walked: false });
    expect(heron.counts).toContain('24000');
    expect(heron.rows).toEqual(Array.from({ length: 9 }, (_, k) => `z${29_980 - 20 * k}`));
    // "lion" in half the calls: a page of 20 is found in about 42 calls of the walk, and its list holds more
    // than 2 × 60 × 42 entries.
    const lion = read({ filter: { text: 'lion' }, limit: 20 });
    expect(lion).toMatchObject({ sampled: false, walked: true });
    expect(lion.counts).toContain('5040');
    expect(lion.rows).toEqual(Array.from({ length: 20 }, (_, k) => `z${29_998 - 2 * k}`));
  });

  it('matches too many to size, beside statuses with over four times as many calls, are sought by id in cdrs_id_filters', () => {
    const tiger = explainSearch(zoo, { filter: { text: 'tiger', statuses: ['busy', 'answered'] } }).count;
    expect(tiger.filter((d) => /cdrs /.test(d))).toEqual(['SEARCH cdrs USING COVERING INDEX cdrs_id_filters (id=?)']);
    expect(searchTotal(zoo, { text: 'tiger', statuses: ['busy', 'answered'] })).toBe(6000);
    expect(searchTotal(zoo, { text: 'tiger', statuses: ['answered'] })).toBe(4000);
    // The answered calls alone (20,000) are not four times as many: their index is read, the text a list.
    const answered = explainSearch(zoo, { filter: { text: 'tiger', statuses: ['answered'] } }).count.join(' | ');
    expect(answered).toMatch(/COVERING INDEX cdrs_status_started/);
  });
});

describe('a page without the total (the UI asks for rows and count separately)', () => {
  const cases: [SearchFilter, SortSpec?][] = [
    [{}],
    [{ accounts: ['Pune Voice'] }, { field: 'durationSec', desc: true }],
    [{ statuses: ['answered'] }],
    [{ direction: 'in' }],
    [{ minDuration: 300 }],
    [{ text: 'answered' }],
    [{ phone: '000 000' }],
    [{}, { field: 'campaign', desc: false }],
    [{}, { field: 'status', desc: true }],
    [{ statuses: ['busy'] }, { field: 'campaign', desc: true }],
  ];

  it('gives the same rows and cursors as search(), and searchTotal the same total', () => {
    for (const [filter, sort] of cases) {
      const full = search(ws, { filter, sort, limit: 100 });
      expect(full.rows.length).toBeGreaterThan(0);
      const page = searchPage(ws, { filter, sort, limit: 100 });
      expect(page).toEqual({ rows: full.rows, next: full.next });
      expect(searchTotal(ws, filter)).toBe(full.total);
      if (full.next) {
        const second = search(ws, { filter, sort, limit: 100, after: full.next });
        expect(searchPage(ws, { filter, sort, limit: 100, after: full.next })).toEqual({ rows: second.rows, next: second.next });
        expect(searchPage(ws, { filter, sort, limit: 100, offset: 100 }).rows).toEqual(second.rows);
      }
    }
  });

  it('keyset pages join up to the whole result in sort order, across a sort whose groups are large', () => {
    for (const desc of [false, true]) {
      const sort: SortSpec = { field: 'status', desc };
      // Pages after the first by offset are sorted in one statement; the first page and cursors read by group.
      const all = search(ws, { filter: {}, sort, limit: 10_000, offset: 0 }).rows;
      const byOffset = [0, 1, 2].flatMap((i) => search(ws, { filter: {}, sort, limit: 2500, offset: i * 2500 }).rows);
      expect(byOffset.map((r) => r.callId)).toEqual(all.map((r) => r.callId));
      const byPages: string[] = [];
      let after: string | undefined;
      do {
        const page = searchPage(ws, { filter: {}, sort, limit: 700, after });
        byPages.push(...page.rows.map((r) => r.callId));
        expect(byPages.length).toBeLessThanOrEqual(all.length); // a cursor that stops advancing fails, not loops
        after = page.next ?? undefined;
      } while (after);
      expect(byPages).toEqual(all.map((r) => r.callId));
      const statuses = [...new Set(all.map((r) => r.status))];
      expect(statuses).toEqual([...statuses].sort((a, b) => (desc ? (a < b ? 1 : -1) : a < b ? -1 : 1)));
    }
  });

  it('all calls by status: the large first group is read in id order, not sorted', () => {
    const p = explainSearch(ws, { filter: {}, sort: { field: 'status', desc: false } }).page;
    expect(search(ws, { filter: { statuses: ['answered'] }, limit: 1 }).total).toBeGreaterThan(2000);
    expect(p[0]).toBe('SCAN cdrs'); // answered: the table in id order, stopping after the page
    expect(p.join(' | ')).not.toMatch(/TEMP B-TREE FOR (LAST TERM OF )?ORDER BY/);
  });

  it('without counting, reads few matches by their index and sorts them, and walks the sort index for many', () => {
    const longest = ws.db.prepare('SELECT max(duration_sec) FROM cdrs').pluck().get() as number;
    const rare = explainSearch(ws, { filter: { minDuration: longest } }).page.join(' | ');
    expect(rare).toMatch(/cdrs_duration \(duration_sec>\? AND duration_sec<\?\)/);
    expect(rare).toMatch(/TEMP B-TREE FOR ORDER BY/);
    // The smallest campaign: SQLite alone would walk (campaign, started_at) for the time order; its few calls are
    // sorted instead (`+started_at`), which is what keeps a rare value from walking a large index.
    const smallest = ws.db.prepare('SELECT campaign FROM cdrs WHERE campaign IS NOT NULL GROUP BY campaign ORDER BY count(*) LIMIT 1').pluck().get() as string;
    expect(search(ws, { filter: { campaign: smallest }, limit: 1 }).total).toBeLessThan(100);
    expect(explainSearch(ws, { filter: { campaign: smallest } }).page.join(' | ')).toMatch(/cdrs_campaign_started \(campaign=\?\) \| USE TEMP B-TREE FOR ORDER BY/);
    // Many matches: the sort index is walked (no sort step), with or without an index for the filter.
    for (const filter of [{ statuses: ['answered'] }, { direction: 'in' }] as SearchFilter[]) {
      expect(explainSearch(ws, { filter }).page.join(' | ')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });

  it('the search.query channel answers with only the page or only the total when asked', async () => {
    const ctx = { ws, reads: createReader(ws.db, 'inline') } as unknown as HandlerContext;
    const filter: SearchFilter = { accounts: ['Pune Voice'] };
    const page = await HANDLERS['search.query']({ filter, limit: 5, part: 'page' }, ctx);
    expect(page.total).toBeNull();
    expect(page.rows).toEqual(search(ws, { filter, limit: 5 }).rows);
    const total = await HANDLERS['search.query']({ filter, part: 'total' }, ctx);
    expect(total).toEqual({ total: searchTotal(ws, filter), rows: [], next: null });
    expect(total.total).toBeGreaterThan(1000);
    expect((await HANDLERS['search.query']({ filter, limit: 5 }, ctx)).total).toBe(total.total);
  });
});
