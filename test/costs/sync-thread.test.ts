// A sync that commits on the writer thread (its own connection) prices the calls as it stores them, exactly as
// pricing them afterwards would, and the running totals carry the same cost sums as the calls.
import { describe, expect, it } from 'vitest';
import { ratesFromTable } from '../../electron/data/costs/rates.ts';
import { importRates, repriceCalls, setBilling } from '../../electron/data/costs/store.ts';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { summarize } from '../../electron/data/summary/summary.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };

describe('costs through the sync writer thread', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 12, calls: 3_000 }), ['Priced']);

  it('prices every call as it is committed, the same as pricing it afterwards', async () => {
    setBilling(fx.ws.db, 'Priced', { currency: 'RON', unansweredConnectFee: true });
    importRates(fx.ws.db, 'Priced', ratesFromTable([
      { line: 1, cells: ['prefix', 'per_minute', 'increment', 'connect_fee', 'effective_from'] },
      { line: 2, cells: ['', '0.02', '60/60', '0.01', '2000-01-01'] },
      { line: 3, cells: ['07', '0.06', '30/6', '0.01', '2000-01-01'] },
    ], 'Priced', 'r.csv'));
    const [r] = await syncAccounts(fx.ws, { http, writer: 'thread' });
    expect(r).toMatchObject({ fetched: 3_000, inserted: 3_000, error: null });
    const db = fx.ws.db;
    const stored = db.prepare('SELECT call_id, cost FROM cdrs ORDER BY call_id').raw().all();
    expect(db.prepare('SELECT count(*) FROM cdrs WHERE cost IS NULL AND status <> \'pending\'').pluck().get()).toBe(0);
    const summary = summarize(fx.ws, { filter: {}, by: 'campaign' }).rows;
    expect(summary).toEqual(summarize(fx.ws, { filter: {}, by: 'campaign', readCalls: true }).rows);
    // Priced again from scratch on this connection: the same costs, the same totals.
    const id = db.prepare("SELECT id FROM accounts WHERE name = 'Priced'").pluck().get() as number;
    db.prepare('UPDATE cdrs SET cost = NULL').run();
    repriceCalls(db, id);
    expect(db.prepare('SELECT call_id, cost FROM cdrs ORDER BY call_id').raw().all()).toEqual(stored);
    expect(summarize(fx.ws, { filter: {}, by: 'campaign' }).rows).toEqual(summary);
    expect(summary.every((row) => row.currency === 'RON' && row.cost! > 0)).toBe(true);
  }, 120_000);
});
