// tel4vn-v3 at latency (issue 20): lead pages go on being asked while the sync holds an earlier one (it commits),
// up to TEL4VN_AHEAD pages ahead, and the calls come out exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/data/net/http.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import { TEL4VN_AHEAD, TEL4VN_PREFETCH, tel4vnV3 } from '../../../electron/data/providers/tel4vn-v3/adapter.ts';
import { startTel4vnV3Sim } from '../../../electron/data/providers/tel4vn-v3/simulator.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTel4vnV3Sim({ seed: 20, calls: 12_000 });
});
afterAll(() => sim.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tel4vn-v3 reads ahead', () => {
  it('goes on asking lead pages while the sync holds one, up to TEL4VN_AHEAD', async () => {
    sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 40 } } });
    const http = new HttpClient({ account: 'far', baseUrl: sim.baseUrl, secrets: Object.values(sim.secrets), retries: 0 });
    const ac = new AbortController();
    const ctx: AdapterContext = { account: { name: 'far', baseUrl: sim.baseUrl, timezone: sim.timezone }, secrets: sim.secrets, http, window: { from: null, to: null }, cursor: null, ids: [], signal: ac.signal };
    try {
      const pages = tel4vnV3.pages(ctx)[Symbol.asyncIterator]();
      let first: SyncPage | undefined;
      // The campaign list, then a campaign's first lead page (it tells `total` and starts the prefetch).
      for (let r = await pages.next(); !r.done; r = await pages.next()) {
        if (r.value.cdrs.length) {
          first = r.value;
          break;
        }
      }
      expect(first).toBeDefined();
      const held = sim.faults.requests;
      await sleep(1000);
      // Held for a second: the prefetch went past the TEL4VN_PREFETCH requests it sent when the page came.
      expect(sim.faults.requests - held).toBeGreaterThan(TEL4VN_PREFETCH);
      expect(sim.faults.requests - held).toBeLessThanOrEqual(TEL4VN_AHEAD);
      const ids = new Set(first!.cdrs.map((c) => c.callId));
      for (let r = await pages.next(); !r.done; r = await pages.next()) for (const c of r.value.cdrs) ids.add(c.callId);
      expect([...ids].sort()).toEqual(sim.expected.map((c) => c.callId).sort());
    } finally {
      sim.faults.set({});
      ac.abort();
      await http.close();
    }
  });
});
