// Stored costs stay right through every way they can change: calls written after the card is set are priced by
// CdrWriter as they are stored (a rewrite with new seconds prices them again), the account's zone moving shifts
// the instants its rates take effect, and the running totals always equal a recount from the calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { ratesFromTable } from '../../electron/data/costs/rates.ts';
import { importRates, setBilling } from '../../electron/data/costs/store.ts';
import { search } from '../../electron/data/search/search.ts';
import { summarize } from '../../electron/data/summary/summary.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { preparedWhile } from '../helpers/prepared.ts';
import { addSyntheticAccount, makeCdr } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
let id: number;
const T = (iso: string) => Date.parse(iso);
const costs = () => Object.fromEntries(ws.db.prepare('SELECT call_id, cost FROM cdrs ORDER BY call_id').raw().all() as [string, number | null][]);
const bothWays = () => {
  for (const by of ['campaign', 'day', 'hour', 'status'] as const) {
    expect(summarize(ws, { filter: {}, by }).rows, by).toEqual(summarize(ws, { filter: {}, by, readCalls: true }).rows);
  }
};

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  id = await addSyntheticAccount(ws, { name: 'RO', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  setBilling(ws.db, 'RO', { currency: 'RON' });
  // 1/1 at 0.60 until 2024-03-15 00:00 Bucharest (2024-03-14T22:00Z), then 1.20.
  importRates(ws.db, 'RO', ratesFromTable([
    { line: 1, cells: ['prefix', 'per_minute', 'increment', 'effective_from'] },
    { line: 2, cells: ['', '0.60', '1/1', '2024-01-01'] },
    { line: 3, cells: ['', '1.20', '1/1', '2024-03-15'] },
  ], 'RO', 'r.csv'));
});
afterAll(() => ws.close());

describe('stored costs', () => {
  it('are computed as calls are written, and again when a call is rewritten', () => {
    const writer = new CdrWriter(ws.db);
    writer.write(id, [
      makeCdr({ callId: 'a', campaign: 'X', destination: '1', billSec: 60, startedAt: T('2024-03-14T21:30:00Z') }), // 23:30 local: 0.60
      makeCdr({ callId: 'b', campaign: 'X', destination: '1', billSec: 60, startedAt: T('2024-03-14T22:30:00Z') }), // 00:30 local: 1.20
      makeCdr({ callId: 'c', campaign: 'Y', destination: '1', status: 'busy', billSec: 0, startedAt: T('2024-03-20T10:00:00Z') }),
    ]);
    expect(costs()).toEqual({ a: 6000, b: 12000, c: 0 });
    bothWays();
    // The provider reports more seconds for b on the next sync.
    writer.write(id, [makeCdr({ callId: 'b', campaign: 'X', destination: '1', billSec: 90, startedAt: T('2024-03-14T22:30:00Z') })]);
    expect(costs()).toMatchObject({ b: 18000 });
    bothWays();
  });

  it('move with the account\'s zone: its rates take effect at local midnight there', async () => {
    await ws.accounts.edit('RO', { timezone: 'UTC' });
    // In UTC, b (22:30 on the 14th) is before the change now.
    expect(costs()).toEqual({ a: 6000, b: 9000, c: 0 });
    bothWays();
  });

  it('are shown by a search in the account\'s currency without pricing its rates again', () => {
    let rows: ReturnType<typeof search>['rows'] = [];
    const prepared = preparedWhile(ws.db, () => (rows = search(ws, { filter: {}, sort: { field: 'callId', desc: false } }).rows));
    expect(rows.map((r) => [r.callId, r.cost, r.currency, r.costNote])).toEqual([['a', 0.6, 'RON', null], ['b', 0.9, 'RON', null], ['c', 0, 'RON', null]]);
    expect(prepared.filter((sql) => /FROM rates/.test(sql))).toEqual([]);
  });
});
