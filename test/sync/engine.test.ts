// The sync engine over real simulators and a real SQLite file: per-account isolation, run records, progress,
// windows, remembered ids for by-id providers.
import { beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { syncAccounts, syncWindow, testConnection, type SyncProgress } from '../../electron/data/sync/engine.ts';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };

describe('sync windows', () => {
  it('reads dates, local date-times and ISO instants in the account zone; a bare --to date covers its day', () => {
    expect(syncWindow('2024-10-27', '2024-10-27', 'Europe/Bucharest')).toEqual({
      from: Date.UTC(2024, 9, 26, 21), // 00:00 EEST
      to: Date.UTC(2024, 9, 27, 22) - 1, // a 25-hour day: up to 00:00 EET of the 28th
    });
    expect(syncWindow('2024-03-14 09:28', undefined, 'Europe/Bucharest')).toEqual({ from: Date.UTC(2024, 2, 14, 7, 28), to: null });
    expect(syncWindow(undefined, '2024-03-14T07:28:44Z', 'Asia/Tehran')).toEqual({ from: null, to: Date.UTC(2024, 2, 14, 7, 28, 45) - 1 });
    expect(syncWindow(undefined, undefined, 'UTC')).toEqual({ from: null, to: null });
    expect(() => syncWindow('yesterday', undefined, 'UTC', 'X')).toThrow(/account "X": .*yesterday/);
  });
});

describe('sync engine', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 3, calls: 320 }), ['Good']);
  // Nothing listens on port 1: connection refused.
  beforeAll(() => fx.addAccount('Down', 'http://127.0.0.1:1/pbx'));

  it("one account's failure does not stop the others, and both are recorded", async () => {
    const events: SyncProgress[] = [];
    const results = await syncAccounts(fx.ws, { http, onProgress: (p) => events.push(p) });
    expect(results.map((r) => r.name)).toEqual(['Down', 'Good']);
    const [down, good] = results;
    expect(down!.error).toMatch(/^account "Down": POST http:\/\/127\.0\.0\.1:1\/pbx\/api\/cdr failed after 3 tries: connection refused/);
    const { complete, verdict, ...counts } = good!;
    expect(counts).toEqual({ name: 'Good', fetched: 320, inserted: 320, updated: 0, notFound: 0, error: null });
    expect(complete).not.toBe(false);
    expect(down).toMatchObject({ complete: false, verdict: { status: 'incomplete', text: `the sync stopped before its end: ${down!.error!.replace('account "Down": ', '')}` } });
    for (const secret of Object.values(fx.sim.secrets)) expect(down!.error).not.toContain(secret);

    expect(fx.ws.accounts.get('Down').lastError).toBe(down!.error);
    expect(fx.ws.accounts.get('Good').lastError).toBeNull();
    expect(fx.ws.accounts.get('Good').lastSyncAt).toBeGreaterThan(0);
    const runs = fx.ws.db.prepare('SELECT a.name, r.fetched, r.inserted, r.updated, r.not_found, r.error, r.finished_at IS NOT NULL AS finished FROM sync_runs r JOIN accounts a ON a.id = r.account_id ORDER BY a.name').all();
    expect(runs).toEqual([
      { name: 'Down', fetched: 0, inserted: 0, updated: 0, not_found: 0, error: down!.error, finished: 1 },
      { name: 'Good', fetched: 320, inserted: 320, updated: 0, not_found: 0, error: null, finished: 1 },
    ]);

    // Progress: one event per committed page, counting up to the total, with a rate and an ETA.
    const good1 = events.filter((e) => e.account === 'Good');
    expect(good1.map((e) => e.done)).toEqual([100, 200, 300, 320]);
    expect(good1.every((e) => e.total === 320)).toBe(true);
    expect(good1.at(-1)).toMatchObject({ fetched: 320, inserted: 320, updated: 0, etaSec: 0 });
    expect(good1.slice(1).every((e) => e.rate !== null && e.rate > 0)).toBe(true);
  });

  it('an unknown account name fails before anything is fetched', async () => {
    const before = fx.sim.faults.requests;
    await expect(syncAccounts(fx.ws, { accounts: ['Good', 'Nope'], http })).rejects.toThrow('account "Nope": no such account');
    expect(fx.sim.faults.requests).toBe(before);
  });

  it('a cancel before the start commits nothing and says so', async () => {
    const ac = new AbortController();
    ac.abort();
    const [r] = await syncAccounts(fx.ws, { accounts: ['Good'], signal: ac.signal, http });
    expect(r).toMatchObject({ error: 'account "Good": sync cancelled', cancelled: true, fetched: 0 });
  });

  it('testConnection says ok or names the account and the cause', async () => {
    expect(await testConnection(fx.ws, 'Good', http)).toEqual({ ok: true, message: 'account "Good": connected' });
    const down = await testConnection(fx.ws, 'Down', http);
    expect(down.ok).toBe(false);
    expect(down.message).toMatch(/^account "Down": .*connection refused/);
  });
});

describe('commit batching', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 5, calls: 450 }));

  /** The rows already committed when each progress event fires, for a fresh account synced with `batch`. */
  async function committedAtEachEvent(name: string, batch: { batchRows?: number; batchWaitMs?: number }): Promise<number[]> {
    const id = await fx.addAccount(name);
    const count = fx.ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck();
    const seen: number[] = [];
    const [r] = await syncAccounts(fx.ws, { accounts: [name], http, ...batch, onProgress: () => seen.push(count.get(id) as number) });
    expect(r).toMatchObject({ error: null, inserted: 450 });
    return seen;
  }

  it('commits pages together until they hold batchRows calls, and the rest at the end', async () => {
    // 100-row pages: 200 rows fill a batch; the last 50 commit when the provider has no more.
    expect(await committedAtEachEvent('Batched', { batchRows: 200, batchWaitMs: 60_000 })).toEqual([200, 200, 400, 400, 450]);
  });

  it('batchRows 1 commits every page alone', async () => {
    expect(await committedAtEachEvent('Per page', { batchRows: 1 })).toEqual([100, 200, 300, 400, 450]);
  });

  it('commits waiting pages when the next page is late, without waiting for it', async () => {
    fx.sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 400 } } });
    try {
      // Every answer takes 400 ms. Page 1 tells the adapter there are 5 pages and it then asks for pages 2-5 at
      // once: page 1 falls due 50 ms after it came and is committed alone, ~350 ms before the others arrive.
      const seen = await committedAtEachEvent('Slow provider', { batchRows: 10_000, batchWaitMs: 50 });
      expect(seen[0]).toBe(100);
      expect(seen.at(-1)).toBe(450);
    } finally {
      fx.sim.faults.set({});
    }
  });
});

const byIdProvider = (Object.keys(SIMULATORS) as ProviderId[]).find((p) => PROVIDERS[p].listing === 'by-id');

describe.skipIf(!byIdProvider)(`remembered ids (by-id provider ${byIdProvider ?? 'none registered yet'})`, () => {
  const fx = simulatorWorkspace(() => SIMULATORS[byIdProvider!]({ seed: 9, calls: 40 }), ['ById']);
  const state = (name: string) =>
    Object.fromEntries(
      (fx.ws.db.prepare('SELECT call_id, state FROM known_ids WHERE account_id = ?').all(fx.ws.accounts.get(name).id) as { call_id: string; state: string }[]).map(
        (r) => [r.call_id, r.state],
      ),
    );

  it('adds --ids to known_ids, marks final and unknown ids, and refreshes only pending ones later', async () => {
    const known = fx.sim.ids.filter((id) => !fx.sim.unknownIds.includes(id)).slice(0, 10);
    const unknown = fx.sim.unknownIds.slice(0, 2);
    const [r] = await syncAccounts(fx.ws, { accounts: ['ById'], ids: [...known, ...unknown], http });
    expect(r).toMatchObject({ error: null, inserted: known.length, notFound: unknown.length });
    const s = state('ById');
    expect(Object.keys(s).sort()).toEqual([...known, ...unknown].sort());
    for (const id of unknown) expect(s[id]).toBe('not_found');
    for (const id of known) expect(['final', 'pending']).toContain(s[id]);

    // A later sync without ids reads only the remembered pending ones: nothing new, nothing unknown again.
    const [again] = await syncAccounts(fx.ws, { accounts: ['ById'], http });
    expect(again).toMatchObject({ error: null, inserted: 0, updated: 0, notFound: 0 });
    expect(again!.fetched).toBe(known.filter((id) => s[id] === 'pending').length);

    // An unknown id supplied again is asked again (it may exist now).
    const [third] = await syncAccounts(fx.ws, { accounts: ['ById'], ids: unknown, http });
    expect(third!.notFound).toBe(unknown.length);
  });
});
