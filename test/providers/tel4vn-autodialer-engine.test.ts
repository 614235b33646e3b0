// tel4vn-v3 and autodialer-v4 through the real sync engine (syncAccounts): what the engine stores beyond the calls
// (tel4vn's leads and per-sync campaign reports), windows on their own cursor stream, and exact re-syncs.
import { describe, expect, it } from 'vitest';
import { rowToCdr, type CdrDbRow } from '../../electron/data/db/cdrs.ts';
import { startAutodialerV4Sim } from '../../electron/data/providers/autodialer-v4/simulator.ts';
import { startTel4vnV3Sim } from '../../electron/data/providers/tel4vn-v3/simulator.ts';
import type { ExpectedCall } from '../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

const FIELDS = ['callId', 'status', 'providerStatus', 'direction', 'source', 'destination', 'campaign', 'startedAt', 'answeredAt', 'endedAt', 'durationSec', 'billSec', 'agent', 'contact'] as const;
const HTTP = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };

function cached(ws: Workspace, account: string): ExpectedCall[] {
  const a = ws.accounts.get(account);
  const rows = ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ? ORDER BY call_id').all(a.id) as CdrDbRow[];
  return rows.map((r) => Object.fromEntries(FIELDS.map((f) => [f, rowToCdr(r, a)[f]])) as unknown as ExpectedCall);
}
const sorted = (xs: ExpectedCall[]) => [...xs].sort((a, b) => (a.callId < b.callId ? -1 : 1));

describe('tel4vn-v3 through the sync engine', () => {
  const fx = simulatorWorkspace(() => startTel4vnV3Sim({ seed: 31, calls: 300 }), ['Da Nang']);

  it('stores the calls exactly, every lead (never-called ones without a call) and one report per campaign per sync', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Da Nang'], http: HTTP });
    expect(r!.error).toBeNull();
    expect(r!.inserted).toBe(fx.sim.expected.length);
    expect(cached(fx.ws, 'Da Nang')).toEqual(sorted(fx.sim.expected));
    const id = fx.ws.accounts.get('Da Nang').id;
    const leads = fx.ws.db.prepare('SELECT call_id FROM leads WHERE account_id = ?').pluck().all(id) as (string | null)[];
    expect(leads).toHaveLength(fx.sim.leadCount());
    expect(leads.filter((c) => c === null)).toHaveLength(fx.sim.uncalledLeads());
    const reports = () => fx.ws.db.prepare('SELECT campaign_id, stats FROM campaign_reports WHERE account_id = ?').all(id) as { campaign_id: string; stats: string }[];
    expect(reports()).toHaveLength(fx.sim.campaignCount);
    expect(JSON.parse(reports()[0]!.stats)).toHaveProperty('no_answered');
    expect(fx.ws.db.prepare('SELECT count(*) FROM campaigns WHERE account_id = ?').pluck().get(id)).toBe(fx.sim.campaignCount);

    const [again] = await syncAccounts(fx.ws, { accounts: ['Da Nang'], http: HTTP });
    expect({ inserted: again!.inserted, updated: again!.updated, error: again!.error }).toEqual({ inserted: 0, updated: 0, error: null });
    expect(reports()).toHaveLength(2 * fx.sim.campaignCount);
  });

  it('a lead dialled again keeps its previous call; the lead now points at the new one', async () => {
    const added = fx.sim.mutate('add', 4);
    const [r] = await syncAccounts(fx.ws, { accounts: ['Da Nang'], http: HTTP });
    expect({ inserted: r!.inserted, updated: r!.updated }).toEqual({ inserted: added.length, updated: 0 });
    expect(cached(fx.ws, 'Da Nang')).toEqual(sorted(fx.sim.expected));
    const id = fx.ws.accounts.get('Da Nang').id;
    const pointed = new Set(fx.ws.db.prepare('SELECT call_id FROM leads WHERE account_id = ?').pluck().all(id) as string[]);
    for (const a of added) expect(pointed.has(a.callId)).toBe(true);
  });

  it('an explicit --from/--to window reads that window and leaves the incremental cursor alone', async () => {
    const id = fx.ws.accounts.get('Da Nang').id;
    const before = fx.ws.db.prepare("SELECT cursor FROM sync_state WHERE account_id = ? AND stream = 'default'").pluck().get(id);
    const [r] = await syncAccounts(fx.ws, { accounts: ['Da Nang'], http: HTTP, from: '2024-10-10', to: '2024-10-12' });
    expect(r!.error).toBeNull();
    expect(r!.fetched).toBeGreaterThan(0);
    expect({ inserted: r!.inserted, updated: r!.updated }).toEqual({ inserted: 0, updated: 0 });
    expect(fx.ws.db.prepare("SELECT cursor FROM sync_state WHERE account_id = ? AND stream = 'default'").pluck().get(id)).toBe(before);
  });
});

describe('autodialer-v4 through the sync engine', () => {
  const fx = simulatorWorkspace(() => startAutodialerV4Sim({ seed: 32, calls: 300 }), ['Isfahan']);

  it('stores one call per try exactly, then picks up new and ended tries', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Isfahan'], http: HTTP });
    expect(r!.error).toBeNull();
    expect(cached(fx.ws, 'Isfahan')).toEqual(sorted(fx.sim.expected));
    const added = fx.sim.mutate('add', 4);
    const changed = fx.sim.mutate('update', 2);
    const [r2] = await syncAccounts(fx.ws, { accounts: ['Isfahan'], http: HTTP });
    expect({ inserted: r2!.inserted, updated: r2!.updated }).toEqual({ inserted: added.length, updated: changed.length });
    expect(cached(fx.ws, 'Isfahan')).toEqual(sorted(fx.sim.expected));
  });

  it('an explicit window (dates in the account zone) reads reports/search and changes nothing already right', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Isfahan'], http: HTTP, from: '2024-10-10', to: '2024-10-12 18:30' });
    expect(r!.error).toBeNull();
    expect(r!.fetched).toBeGreaterThan(0);
    expect({ inserted: r!.inserted, updated: r!.updated }).toEqual({ inserted: 0, updated: 0 });
  });
});
