// pbx-cdr paging at latency (issue 20): once page 1 tells max_page, answers send the next requests while the sync
// still holds earlier pages (it commits), up to PBX_AHEAD; nothing new after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/data/net/http.ts';
import { PBX_AHEAD, PBX_PREFETCH, pbxCdrAdapter } from '../../../electron/data/providers/pbx-cdr/adapter.ts';
import { startPbxCdrSimulator } from '../../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';

const PAGES = PBX_AHEAD + 4;
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startPbxCdrSimulator({ seed: 20, calls: PAGES * 100 - 30 });
});
afterAll(() => sim.close());

async function withContext<T>(fn: (ctx: AdapterContext) => Promise<T>): Promise<T> {
  const http = new HttpClient({ account: 'far', baseUrl: sim.baseUrl, secrets: Object.values(sim.secrets), retries: 0 });
  const ac = new AbortController();
  try {
    return await fn({ account: { name: 'far', baseUrl: sim.baseUrl, timezone: sim.timezone }, secrets: sim.secrets, http, window: { from: null, to: null }, cursor: null, ids: [], signal: ac.signal });
  } finally {
    ac.abort();
    await http.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pbx-cdr requests ahead', () => {
  it('asks page 1 alone, then goes on asking while the sync holds a page, up to PBX_AHEAD', async () => {
    sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 150 } } });
    try {
      await withContext(async (ctx) => {
        const before = sim.faults.requests;
        const pages = pbxCdrAdapter.pages(ctx)[Symbol.asyncIterator]();
        const first = await pages.next();
        expect((first.value as SyncPage).cdrs).toHaveLength(100);
        // Page 1 was asked alone (pages past the end would be requests a provider counts and a capture replays).
        expect(sim.faults.requests - before).toBeLessThanOrEqual(1 + PBX_PREFETCH);
        // The sync holds page 1 (say it commits): requests go on, as far as PBX_AHEAD pages past the one taken.
        await sleep(1500);
        expect(sim.faults.requests - before).toBe(1 + PBX_AHEAD);
        let calls = (first.value as SyncPage).cdrs.length;
        for (let r = await pages.next(); !r.done; r = await pages.next()) calls += r.value.cdrs.length;
        expect(calls).toBe(sim.expected.length);
        // One request per page.
        expect(sim.faults.requests - before).toBe(PAGES);
      });
    } finally {
      sim.faults.set({});
    }
  });

  it('asks nothing new once a request has failed', async () => {
    // Page 1 answers; the next request is refused at once (credentials, say); the others are slow, so still out.
    sim.faults.set({ queue: [{ kind: 'slow', delayMs: 100 }, { kind: 'status', status: 401 }], every: { n: 1, fault: { kind: 'slow', delayMs: 100 } } });
    try {
      await withContext(async (ctx) => {
        const before = sim.faults.requests;
        const pages = pbxCdrAdapter.pages(ctx)[Symbol.asyncIterator]();
        await pages.next(); // page 1; pages 2..1+PBX_PREFETCH are asked as it comes, one refused at once
        await sleep(800);
        // After the refusal, nothing new: the slow answers already asked for free their places for nothing.
        expect(sim.faults.requests - before).toBeLessThanOrEqual(1 + PBX_PREFETCH);
        // The refusal (whichever of pages 2.. it fell on) stops the pages there.
        const rest = (async () => {
          for (let r = await pages.next(); !r.done; r = await pages.next());
        })();
        await expect(rest).rejects.toThrow(/401|refused|credentials/i);
      });
    } finally {
      sim.faults.set({});
    }
  });
});
