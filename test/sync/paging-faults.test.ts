// A paged provider's server that silently drops a page or ignores the offset: the sync is never reported complete.
// The account's error names the shortfall, what was fetched stays cached, `cdr-desk sync` exits 1, the coverage
// ledger shows the gap, and re-pulling a day of it with a healthy server fills that day.
import { describe, expect, it } from 'vitest';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { accountCoverage } from '../../electron/data/sync/coverage.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import type { ProviderId } from '../../electron/shared/providers.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };
const PAGED: ProviderId[] = ['pbx-cdr', 'tel4vn-v3', 'autodialer-v4'];
/** Calls enough for several pages of every listing (tel4vn-v3 pages 500 leads per campaign, five campaigns). */
const CALLS: Partial<Record<ProviderId, number>> = { 'tel4vn-v3': 3200 };
/** What a healthy sync of the simulator can prove: autodialer-v4 states no count for the records it lists. */
const HEALTHY: Partial<Record<ProviderId, 'complete' | 'unverified'>> = { 'autodialer-v4': 'unverified' };

for (const id of PAGED) {
  describe(`${id}: a server that misbehaves silently while paging`, () => {
    const fx = simulatorWorkspace(() => SIMULATORS[id]!({ seed: 17, calls: CALLS[id] ?? 700 }), ['Dropped', 'Stuck']);

    it('drops a page: incomplete, named, rows kept; the calendar shows a gap; re-pulling a day with a healthy server fills it', async () => {
      fx.sim.faults.set({ paging: { drop: 2 } });
      const [r] = await syncAccounts(fx.ws, { accounts: ['Dropped'], http });
      fx.sim.faults.set({});
      expect(r!.complete).toBe(false);
      expect(r!.verdict.status).toBe('incomplete');
      expect(r!.error).toBe(`account "Dropped": sync incomplete: ${r!.verdict.text}`);
      expect(r!.fetched).toBeGreaterThan(0);
      expect(r!.fetched).toBeLessThan(fx.sim.expected.length);
      const starts = fx.sim.expected.map((c) => c.startedAt!).sort();
      const day = starts[Math.floor(starts.length / 2)]!.slice(0, 10);
      expect(accountCoverage(fx.ws, 'Dropped', { from: day, to: day }).days[0]!.status).toBe('gap');

      const healthy = HEALTHY[id] ?? 'complete';
      const [again] = await syncAccounts(fx.ws, { accounts: ['Dropped'], http, from: day, to: day });
      expect(again).toMatchObject({ error: null, verdict: { status: healthy } });
      expect(accountCoverage(fx.ws, 'Dropped', { from: day, to: day }).days[0]!.status).toBe(healthy);
    });

    it('ignores the offset: incomplete, never success', async () => {
      fx.sim.faults.set({ paging: { ignoreOffset: true } });
      const [r] = await syncAccounts(fx.ws, { accounts: ['Stuck'], http });
      fx.sim.faults.set({});
      expect(r).toMatchObject({ complete: false, verdict: { status: 'incomplete' } });
      expect(r!.error).toMatch(/^account "Stuck": /);
    });

    it('a healthy sync of the same simulator is complete (unverified where the adapter states no count)', async () => {
      await fx.addAccount('Clean');
      const healthy = HEALTHY[id] ?? 'complete';
      const [r] = await syncAccounts(fx.ws, { accounts: ['Clean'], http });
      expect(r).toMatchObject({ error: null, inserted: fx.sim.expected.length, verdict: { status: healthy } });
      // Nothing new: whatever it re-reads is checked as above; nothing read and nothing claimed is complete.
      const [nothingNew] = await syncAccounts(fx.ws, { accounts: ['Clean'], http });
      expect(nothingNew).toMatchObject({ error: null, inserted: 0 });
      expect(nothingNew!.verdict.status).toBe(nothingNew!.fetched ? healthy : 'complete');
    });
  });
}

describe('cdr-desk sync against a server that drops a page', () => {
  const fx = simulatorWorkspace(() => SIMULATORS['pbx-cdr']!({ seed: 18, calls: 400 }), ['PBX']);

  it('exits 1 and --json gives complete false with the shortfall as the error', async () => {
    fx.sim.faults.set({ paging: { drop: 1 } });
    const r = await runCliAsync(['--data-dir', fx.ws.dataDir, 'sync', 'PBX', '--json']);
    fx.sim.faults.set({});
    expect(r.status).toBe(1);
    const [a] = JSON.parse(r.stdout).accounts;
    expect(a).toMatchObject({ name: 'PBX', complete: false });
    expect(a.error).toMatch(/^account "PBX": sync incomplete: /);
    expect(r.stderr).toBe(`cdr-desk: ${a.error}\n`);
  });
});
