// autodialer-v4 at latency (issue 20): ordered answers are read ahead and their tries enriched while the sync
// still holds an earlier page (it commits), and pages come out in order with the same calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { autodialerV4 } from '../../../electron/data/providers/autodialer-v4/adapter.ts';
import { startAutodialerV4Sim } from '../../../electron/data/providers/autodialer-v4/simulator.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startAutodialerV4Sim({ seed: 20, calls: 150 });
});
afterAll(() => sim.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('autodialer-v4 reads ahead', () => {
  it('goes on asking while the sync holds a page, and yields every call once, in table order', async () => {
    sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 40 } } });
    const http = new HttpClient({ account: 'far', baseUrl: sim.baseUrl, secrets: Object.values(sim.secrets), retries: 0 });
    const ac = new AbortController();
    const ctx: AdapterContext = { account: { name: 'far', baseUrl: sim.baseUrl, timezone: sim.timezone }, secrets: sim.secrets, http, window: { from: null, to: null }, cursor: null, ids: [], signal: ac.signal };
    try {
      const pages = autodialerV4.pages(ctx)[Symbol.asyncIterator]();
      const first = (await pages.next()).value as SyncPage;
      const atFirst = sim.faults.requests;
      // The sync holds page 1 (say it commits): the next answers and their tries are asked meanwhile.
      await sleep(1000);
      expect(sim.faults.requests).toBeGreaterThan(atFirst + 4);
      const ids = first.cdrs.map((c) => c.callId);
      const cursors = [first.cursor as { lastId: string }];
      for (let r = await pages.next(); !r.done; r = await pages.next()) {
        ids.push(...r.value.cdrs.map((c) => c.callId));
        if (r.value.cursor) cursors.push(r.value.cursor as { lastId: string });
      }
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(sim.expected.map((c) => c.callId).sort());
      // Each page's cursor is the one after it: record ids only grow (table order).
      const lastIds = cursors.map((c) => c.lastId).filter(Boolean);
      expect(lastIds).toEqual([...lastIds].sort());
    } finally {
      sim.faults.set({});
      ac.abort();
      await http.close();
    }
  });
});
