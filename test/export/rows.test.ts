// exportRows on real SQLite files: the same rows in the same order as search, whichever read plan is taken, and
// the plan follows how the table is stored (a table scan only for a big export from a table out of time order).
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, selectColumns } from '../../electron/data/export/columns.ts';
import { choosePlan, exportRows, type ReadPlan } from '../../electron/data/export/rows.ts';
import { compileFilterDetail } from '../../electron/data/search/filter.ts';
import { search } from '../../electron/data/search/search.ts';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import { isolatedKeyFile } from '../helpers/tmp.ts';
import { call, fixture, type Fixture } from './fixture.ts';

const COUNT = 3000;
const BASE = Date.UTC(2024, 5, 1);

/** Calls one minute apart, some with no start time or duration (NULLs sort first ascending, last descending). */
function calls(order: number[]) {
  return order.map((i) => call(`c${String(i).padStart(5, '0')}`, {
    startedAt: i % 97 === 0 ? null : BASE + i * 60_000,
    durationSec: i % 13 === 0 ? null : (i * 7919) % 600,
    campaign: `Campaign ${i % 5}`,
  }));
}

/** A fixed permutation of 0..n-1 (a linear congruential shuffle), so the test stores calls out of time order. */
function shuffled(n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const ids = (f: Fixture, filter: SearchFilter, sort: SortSpec | undefined, plan: ReadPlan) =>
  [...exportRows(f.ws, filter, sort, EXPORT_COLUMNS, { plan })].map((r) => r[0]);

function planOf(f: Fixture, filter: SearchFilter): ReadPlan {
  const c = compileFilterDetail(f.ws, filter);
  return choosePlan(f.ws, c.where, c.params, 'started_at DESC, id DESC', search(f.ws, { filter, limit: 1 }).total);
}

describe('exportRows', () => {
  let random: Fixture;
  let ordered: Fixture;
  beforeAll(async () => {
    isolatedKeyFile();
    random = await fixture('Random', 'Europe/Bucharest', calls(shuffled(COUNT)));
    ordered = await fixture('Ordered', 'Europe/Bucharest', calls(Array.from({ length: COUNT }, (_, i) => i)));
    return () => {
      random.ws.close();
      ordered.ws.close();
    };
  });

  it('scans the table only for a big export from a table stored out of time order', () => {
    expect(planOf(random, { accounts: ['Random'] })).toBe('scan');
    expect(planOf(ordered, { accounts: ['Ordered'] })).toBe('index');
    // A narrow window: a few rows, whatever the storage order.
    expect(planOf(random, { accounts: ['Random'], from: new Date(BASE).toISOString(), to: new Date(BASE + 3_600_000).toISOString() })).toBe('index');
  });

  it('gives the rows of search, in its order, with either plan and any sort', () => {
    const sorts: (SortSpec | undefined)[] = [undefined, { field: 'startedAt', desc: false }, { field: 'durationSec', desc: false },
      { field: 'durationSec', desc: true }, { field: 'callId', desc: false }, { field: 'account', desc: true }, { field: 'campaign', desc: false }];
    for (const f of [random, ordered]) {
      const filter = { accounts: [f === random ? 'Random' : 'Ordered'] };
      for (const sort of sorts) {
        const expected = search(f.ws, { filter, sort, limit: COUNT }).rows.map((r) => r.callId);
        expect(expected).toHaveLength(COUNT);
        expect(ids(f, filter, sort, 'index'), JSON.stringify(sort)).toEqual(expected);
        expect(ids(f, filter, sort, 'scan'), JSON.stringify(sort)).toEqual(expected);
      }
    }
  });

  it('reads only the chosen columns, in their order, with the account by name', () => {
    const cols = selectColumns(['Duration (s)', 'Account', 'Call ID', 'Started']);
    const [first] = exportRows(random.ws, { accounts: ['Random'] }, { field: 'callId', desc: false }, cols, { total: COUNT });
    expect(first).toEqual([null, 'Random', 'c00000', null]);
    const [second] = exportRows(random.ws, { accounts: ['Random'], text: 'c00001' }, undefined, cols);
    expect(second).toEqual([(7919 % 600), 'Random', 'c00001', BASE + 60_000]);
  });
});
