// The search filter parser and compiler on arbitrary input, against a real SQLite file: every filter either is
// refused with a UserError or compiles to SQL that runs (FTS query text is sanitized: no FTS5 syntax error
// whatever the user types), and time windows resolve to valid instants.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../electron/data/errors.ts';
import { compileFilter, listAccounts, parseFilter } from '../../electron/data/search/filter.ts';
import { sortPlan } from '../../electron/data/search/sort.ts';
import { parseTimeWindow, previousWindow, resolveWindow } from '../../electron/data/search/time-window.ts';
import { search } from '../../electron/data/search/search.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { CALL_STATUSES } from '../../electron/shared/cdr.ts';
import { SORT_FIELDS } from '../../electron/shared/filter.ts';
import { seedWorkspace, SYNTHETIC_ACCOUNTS } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { dateLikeText, expectValidInstant, fieldValue, ownErrorsOnly, PROPERTY_SEED, RUNS, ZONES, zone } from './arbitraries.ts';

/** What people type into a search box, FTS5 syntax included. */
const ftsNoise = fc.constantFrom('"', '*', 'NEAR(', ')', '(', 'OR', 'AND', 'NOT', '^', ':', '-', '+', "'", '\\', '%', '_', '{', '}', 'search_text:', '\u0000', 'Đỗ', 'محمد', '۰۹۱۲', ' ');
const userText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.oneof(ftsNoise, fc.string({ maxLength: 4 }), fc.stringMatching(/^\+?[0-9 ()-]{1,14}$/)), { maxLength: 8 }).map((a) => a.join('')),
);
const timeText = fc.oneof(dateLikeText, fc.string(), fc.constantFrom('2026-10-05', '2026-10-31', '2026-10-05 08:00', '2026-10-05T08:00:00Z', '2026-02-30', '9999-12-31'));
const filterArb = fc.record(
  {
    accounts: fc.array(fc.oneof(fc.constantFrom(...SYNTHETIC_ACCOUNTS.map((a) => a.name), 'bucharest pbx', 'nope'), fc.string()), { maxLength: 3 }),
    text: userText,
    statuses: fc.array(fc.oneof(fc.constantFrom(...CALL_STATUSES), fc.string()), { maxLength: 3 }),
    campaign: fc.oneof(fc.constantFrom('Khuyến mãi Tết', 'en-cmp-1', ''), userText),
    direction: fc.oneof(fc.constantFrom('in', 'out'), fc.string()),
    phone: userText,
    from: timeText,
    to: timeText,
    tz: fc.oneof(fc.constantFrom(...ZONES), fc.string()),
    minDuration: fc.oneof(fc.nat(), fc.integer(), fc.double()),
    maxDuration: fc.oneof(fc.nat(), fc.integer(), fc.double()),
    extra: fieldValue,
  },
  { requiredKeys: [], noNullPrototype: true },
);

/** Mostly well-formed filters (each field present or not), so that most compile and reach the database. */
const plausibleFilter = fc.record(
  {
    accounts: fc.array(fc.constantFrom(...SYNTHETIC_ACCOUNTS.map((a) => a.name), 'bucharest pbx'), { maxLength: 2 }),
    text: userText,
    statuses: fc.array(fc.constantFrom(...CALL_STATUSES), { maxLength: 3 }),
    campaign: fc.constantFrom('Khuyến mãi Tết', 'en-cmp-1', 'Nhắc nợ tháng'),
    direction: fc.constantFrom('in', 'out'),
    phone: userText,
    from: fc.constantFrom('2026-10-05', '2026-10-05 08:00', '2026-10-05T08:00:00+03:30'),
    to: fc.constantFrom('2026-10-31', '2026-10-20 17:30:00', '2026-10-25T00:00:00Z'),
    tz: fc.constantFrom(...ZONES),
    minDuration: fc.nat({ max: 200 }),
    maxDuration: fc.integer({ min: 200, max: 100_000 }),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const sortArb = fc.record({ field: fc.constantFrom(...SORT_FIELDS), desc: fc.boolean() });

describe('search filters on arbitrary input', { timeout: 120_000 }, () => {
  let ws: Workspace;
  beforeAll(async () => {
    isolatedKeyFile();
    ws = openWorkspace(tempDir());
    await seedWorkspace(ws, 60, Date.UTC(2026, 9, 1), Date.UTC(2026, 10, 1), 3);
    return () => ws.close();
  });

  it('parseFilter: a SearchFilter or a UserError, for any value at all', () => {
    fc.assert(fc.property(fc.oneof(filterArb, fieldValue), (input) => { ownErrorsOnly(() => parseFilter(input), [UserError]); }), RUNS);
  });

  it('compileFilter: a UserError, or SQL that runs on the real database; search answers the same count and rows', () => {
    let compiled = 0;
    fc.assert(
      fc.property(fc.oneof(plausibleFilter, filterArb), sortArb, (input, sort) => {
        const out = ownErrorsOnly(() => compileFilter(ws, input as never), [UserError]);
        if (!out) return;
        compiled++;
        const n = ws.db.prepare(`SELECT count(*) FROM cdrs WHERE ${out.where}`).pluck().get(...out.params) as number;
        expect(Number.isSafeInteger(n)).toBe(true);
        // The planner's page (an offset page, any sort) against the plain query; test/search/plan-equivalence.test.ts
        // reaches each plan on a larger cache.
        const dir = sort.desc ? 'DESC' : 'ASC';
        const expr = sortPlan(sort, listAccounts(ws)).expr;
        const want = ws.db.prepare(`SELECT call_id FROM cdrs NOT INDEXED WHERE ${out.where} ORDER BY ${expr} ${dir}, id ${dir} LIMIT 5 OFFSET 5`).pluck().all(...out.params);
        const got = search(ws, { filter: input as never, sort, limit: 5, offset: 5 });
        expect(got.total).toBe(n);
        expect(got.rows.map((r) => r.callId)).toEqual(want);
      }),
      RUNS,
    );
    // The generator reaches the SQL, not only the refusals: with the fixed seed (arbitraries.ts) this count is the
    // same on every run, so this is a check of the generator, not a bound on chance.
    expect(compiled, `filters that compiled with seed ${PROPERTY_SEED}`).toBeGreaterThanOrEqual(RUNS.numRuns / 5);
  });

  it('free text and phone fragments alone always compile or are refused plainly, never an FTS5 syntax error', () => {
    let ran = 0;
    fc.assert(
      fc.property(userText, fc.boolean(), (t, asPhone) => {
        const filter = asPhone ? { phone: t } : { text: t };
        const out = ownErrorsOnly(() => search(ws, { filter, limit: 3 }), [UserError]);
        if (out) ran++;
      }),
      RUNS,
    );
    expect(ran, `searches that ran with seed ${PROPERTY_SEED}`).toBeGreaterThanOrEqual(RUNS.numRuns / 4);
  });

  it('time windows: parse to a window or a UserError, and resolve to valid instants in every zone', () => {
    fc.assert(
      fc.property(fc.option(timeText, { nil: undefined }), fc.option(timeText, { nil: undefined }), zone, (from, to, z) => {
        const w = ownErrorsOnly(() => parseTimeWindow(from, to), [UserError]);
        if (!w) return;
        const r = ownErrorsOnly(() => resolveWindow(w, z), [UserError]);
        if (r) {
          expectValidInstant(r.from);
          expectValidInstant(r.to);
          if (r.from !== null && r.to !== null) expect(r.from).toBeLessThan(r.to);
        }
        const prev = ownErrorsOnly(() => previousWindow(w), [UserError]);
        if (prev) {
          const pr = ownErrorsOnly(() => resolveWindow(prev, z), [UserError]);
          if (pr) [pr.from, pr.to].forEach(expectValidInstant);
        }
      }),
      RUNS,
    );
  });
});
