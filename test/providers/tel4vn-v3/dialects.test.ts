// tel4vn-v3 under the readings its document leaves open (docs/providers/tel4vn-v3.md): a server that caps `limit`,
// a lead report without `total` (no claim: unverified), and an incremental sync that skips the campaigns whose
// figures did not change and reads the one whose figures did.
import { describe, expect, it } from 'vitest';
import { startTel4vnV3Sim } from '../../../electron/data/providers/tel4vn-v3/simulator.ts';
import { syncAccounts } from '../../../electron/data/sync/engine.ts';
import { cachedCalls, differences } from '../../helpers/provider-oracle.ts';
import { readWithSelfCheck } from '../../helpers/self-check.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';

const http = { backoffMs: 5, maxBackoffMs: 50 };

describe('tel4vn-v3: a server that caps limit at 100', () => {
  const fx = simulatorWorkspace(() => startTel4vnV3Sim({ seed: 41, calls: 900, dialect: 'limit-cap' }), ['Capped']);

  it('takes the echoed limit as the page size: every campaign read to its end, each claim met', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Capped'], http });
    expect(r).toMatchObject({ error: null, complete: true });
    expect(differences(cachedCalls(fx.ws, 'Capped'), fx.sim.expected)).toEqual([]);
  });

  it('an incremental sync reads only the campaigns whose figures changed', async () => {
    const before = fx.sim.faults.requests;
    const [same] = await syncAccounts(fx.ws, { accounts: ['Capped'], http });
    expect(same).toMatchObject({ error: null, inserted: 0, updated: 0 });
    expect(fx.sim.faults.requests - before).toBe(1);
    const added = fx.sim.mutate('add', 1);
    const at = fx.sim.faults.requests;
    const [r] = await syncAccounts(fx.ws, { accounts: ['Capped'], http });
    expect(r).toMatchObject({ error: null, inserted: added.length, updated: 0 });
    // The campaign report, and the changed campaign's leads of the last minutes: one page.
    expect(fx.sim.faults.requests - at).toBe(2);
    expect(differences(cachedCalls(fx.ws, 'Capped'), fx.sim.expected)).toEqual([]);
  });
});

describe('tel4vn-v3: a lead report without total', () => {
  const fx = simulatorWorkspace(() => startTel4vnV3Sim({ seed: 42, calls: 700, dialect: 'no-total', pageSize: 120 }), ['No total']);

  it('pages until a short page, claims nothing, and says unverified rather than complete', async () => {
    const { check } = await readWithSelfCheck(fx.sim);
    expect(check).toMatchObject({ verdict: 'unverified', claims: 0, problems: [] });
    const [r] = await syncAccounts(fx.ws, { accounts: ['No total'], http });
    expect(r).toMatchObject({ error: null, complete: null });
    expect(differences(cachedCalls(fx.ws, 'No total'), fx.sim.expected)).toEqual([]);
  });
});
