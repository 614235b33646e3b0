// pbx-cdr under the readings its document leaves open (docs/providers/pbx-cdr.md): pages counted from 0 (learned
// from the first answer, kept in the cursor), counts of 0 beside a result (no claim: unverified, never complete),
// and the cost of a sync with nothing new.
import { describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../../electron/data/providers/pbx-cdr/simulator.ts';
import { syncAccounts } from '../../../electron/data/sync/engine.ts';
import { cachedCalls, differences } from '../../helpers/provider-oracle.ts';
import { readWithSelfCheck } from '../../helpers/self-check.ts';
import { simulatorWorkspace } from '../../helpers/simulator-workspace.ts';

const http = { backoffMs: 5, maxBackoffMs: 50 };

describe('pbx-cdr: pages counted from 0', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 21, calls: 730, dialect: 'zero-based' }), ['Zero']);
  const cursorOf = () =>
    JSON.parse(fx.ws.db.prepare("SELECT cursor FROM sync_state WHERE account_id = ? AND stream = 'default'").pluck().get(fx.ws.accounts.get('Zero').id) as string);

  it('reads page 0 first, once the first answer shows max_page as the last page counted from 0, and keeps it', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Zero'], http });
    expect(r).toMatchObject({ error: null, inserted: 730, complete: true });
    expect(differences(cachedCalls(fx.ws, 'Zero'), fx.sim.expected)).toEqual([]);
    expect(cursorOf().pageBase).toBe(0);
  });

  it('then asks page 0 directly: a second sync with nothing new costs 2 requests and is complete', async () => {
    const before = fx.sim.faults.requests;
    const [r] = await syncAccounts(fx.ws, { accounts: ['Zero'], http });
    expect(r).toMatchObject({ error: null, inserted: 0, updated: 0, complete: true });
    expect(fx.sim.faults.requests - before).toBe(2);
  });
});

describe('pbx-cdr: counts of 0 beside a result, as in the example', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 22, calls: 430, dialect: 'no-counts' }), ['No counts']);

  it('reads every page until a short one, claims nothing, and says unverified rather than complete', async () => {
    const { check } = await readWithSelfCheck(fx.sim);
    expect(check).toMatchObject({ verdict: 'unverified', claims: 0, problems: [], calls: 430 });
    const [r] = await syncAccounts(fx.ws, { accounts: ['No counts'], http });
    expect(r).toMatchObject({ error: null, inserted: 430, complete: null });
    expect(r!.verdict.status).toBe('unverified');
    expect(differences(cachedCalls(fx.ws, 'No counts'), fx.sim.expected)).toEqual([]);
  });
});

describe('pbx-cdr: action=read required, errors in HTTP 200', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 23, calls: 120, dialect: 'action-required' }), ['Action']);

  it('sends action=read (inside the hash), and a wrong key is still an error naming the account', async () => {
    const [r] = await syncAccounts(fx.ws, { accounts: ['Action'], http });
    expect(r).toMatchObject({ error: null, inserted: 120, complete: true });
    await fx.ws.accounts.add({ name: 'Action bad key', provider: 'pbx-cdr', baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone, secrets: { ...fx.sim.secrets, apiKey: 'wrong-api-key' } });
    const [bad] = await syncAccounts(fx.ws, { accounts: ['Action bad key'], http });
    expect(bad!.error).toMatch(/^account "Action bad key": pbx-cdr \/api\/cdr: Invalid api_hash .*\(HTTP 200\)$/);
  });
});
