// tel4vn-v3 at latency (issue 20): lead pages go on being asked while the sync holds an earlier one (it commits),
// up to TEL4VN_AHEAD pages ahead, then the next campaigns' first pages, and the calls come out exactly once.
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/data/net/http.ts';
import type { RunningSimulator } from '../../../electron/data/providers/simulation/types.ts';
import { TEL4VN_AHEAD, TEL4VN_PREFETCH, tel4vnV3, type Tel4vnCursor } from '../../../electron/data/providers/tel4vn-v3/adapter.ts';
import { startTel4vnV3Sim } from '../../../electron/data/providers/tel4vn-v3/simulator.ts';
import type { AdapterContext, SyncPage } from '../../../electron/data/providers/types.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTel4vnV3Sim({ seed: 20, calls: 12_000 });
});
afterAll(() => sim.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The adapter's context for a simulator far away (every answer 40 ms late), and a way to end it. */
function farContext(s: RunningSimulator): { ctx: AdapterContext; end: () => Promise<void> } {
  s.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 40 } } });
  const http = new HttpClient({ account: 'far', baseUrl: s.baseUrl, secrets: Object.values(s.secrets), retries: 0 });
  const ac = new AbortController();
  const ctx: AdapterContext = { account: { name: 'far', baseUrl: s.baseUrl, timezone: s.timezone }, secrets: s.secrets, http, window: { from: null, to: null }, cursor: null, ids: [], signal: ac.signal };
  return {
    ctx,
    end: async () => {
      s.faults.set({});
      ac.abort();
      await http.close();
    },
  };
}

describe('tel4vn-v3 reads ahead', () => {
  it('goes on asking lead pages while the sync holds one, up to TEL4VN_AHEAD', async () => {
    const { ctx, end } = farContext(sim);
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
      await end();
    }
  });

  it('asks the next campaigns\' first pages while the sync holds the page that ends a campaign', async () => {
    // Campaigns of one page each: read one after the other, each would cost a round trip of its own.
    const small = await startTel4vnV3Sim({ seed: 21, calls: 600 });
    const { ctx, end } = farContext(small);
    const firstPagesOf = new Set<string>();
    const onRequest = ({ request }: { request: { path: string } }) => {
      const url = new URL(request.path, small.baseUrl);
      if (url.pathname.endsWith('/lead') && url.searchParams.get('offset') === '0') firstPagesOf.add(url.searchParams.get('campaign_uuid')!);
    };
    diagnostics.subscribe('undici:request:create', onRequest as (m: unknown) => void);
    try {
      const pages = tel4vnV3.pages(ctx)[Symbol.asyncIterator]();
      let campaigns: string[] = [];
      let first: SyncPage | undefined;
      for (let r = await pages.next(); !r.done; r = await pages.next()) {
        if (r.value.campaigns) campaigns = r.value.campaigns.map((c) => c.campaignId);
        if (r.value.cdrs.length) {
          first = r.value;
          break;
        }
      }
      const held = campaigns.indexOf(first!.cdrs[0]!.campaignId!);
      expect(campaigns.length).toBeGreaterThan(held + 1 + TEL4VN_PREFETCH);
      expect(first!.claims).toBeDefined(); // the page that ends its campaign
      await sleep(500);
      // Held: the first pages of the campaigns up to this one, and of the TEL4VN_PREFETCH campaigns after it, no more.
      expect([...firstPagesOf].sort()).toEqual(campaigns.slice(0, held + 1 + TEL4VN_PREFETCH).sort());
      const ids = new Set(first!.cdrs.map((c) => c.callId));
      for (let r = await pages.next(); !r.done; r = await pages.next()) for (const c of r.value.cdrs) ids.add(c.callId);
      expect([...ids].sort()).toEqual(small.expected.map((c) => c.callId).sort());
      expect([...firstPagesOf].sort()).toEqual([...campaigns].sort());
    } finally {
      diagnostics.unsubscribe('undici:request:create', onRequest as (m: unknown) => void);
      await end();
      await small.close();
    }
  });

  it('a campaign deleted after the listing, its first page asked early, is skipped and the others are read whole', async () => {
    const small = await startTel4vnV3Sim({ seed: 22, calls: 600 });
    const { ctx, end } = farContext(small);
    let deleted: { id: string; name: string | null } | null = null;
    let before: string | null = null; // the campaign read just before it
    /** Campaigns whose last page the sync has taken: done in the run its pages' cursors carry. */
    const ended = new Set<string>();
    let askedEarly = false;
    // The third campaign answers as the provider does once a campaign is gone.
    const json = (async (req: Parameters<HttpClient['json']>[0], parse?: Parameters<HttpClient['json']>[1]) => {
      if (req.path.endsWith('/lead') && (req.query as Record<string, unknown>).campaign_uuid === deleted?.id) {
        askedEarly ||= !ended.has(before!);
        return { status: 404, body: { error: 'campaign is not found' } };
      }
      return ctx.http.json(req, parse);
    }) as HttpClient['json'];
    const http = new Proxy(ctx.http, { get: (t, k) => (k === 'json' ? json : (Reflect.get(t, k) as unknown)) });
    try {
      const ids = new Set<string>();
      for await (const page of tel4vnV3.pages({ ...ctx, http })) {
        if (page.campaigns) {
          deleted = { id: page.campaigns[2]!.campaignId, name: page.campaigns[2]!.name };
          before = page.campaigns[1]!.campaignId;
        }
        for (const id of (page.cursor as Tel4vnCursor | undefined)?.run?.done ?? []) ended.add(id);
        for (const c of page.cdrs) ids.add(c.callId);
      }
      expect(askedEarly).toBe(true);
      const kept = small.expected.filter((c) => c.campaign !== deleted!.name);
      expect(kept.length).toBeLessThan(small.expected.length);
      expect([...ids].sort()).toEqual(kept.map((c) => c.callId).sort());
    } finally {
      await end();
      await small.close();
    }
  });
});
