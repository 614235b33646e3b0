// The two by-id providers against every dialect of their simulators (one per open reading of the vendor's
// document): through the sync engine into a real SQLite file, every known id stored exactly, every unknown id
// counted in notFound whatever shape its answer takes, and every id asked answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorOptions } from '../../electron/data/providers/simulation/types.ts';
import type { SyncPage } from '../../electron/data/providers/types.ts';
import { SARV_DIALECTS, startSarvVoiceSim } from '../../electron/data/providers/sarv-voice/simulator.ts';
import { startVoiceotpV2Sim, VOICEOTP_DIALECTS } from '../../electron/data/providers/voiceotp-v2/simulator.ts';
import { sarvVoiceAdapter } from '../../electron/data/providers/sarv-voice/adapter.ts';
import { voiceotpV2Adapter } from '../../electron/data/providers/voiceotp-v2/adapter.ts';
import { HttpClient } from '../../electron/data/net/http.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { ProviderId } from '../../electron/shared/providers.ts';
import { cachedCalls, differences } from '../helpers/provider-oracle.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const CASES: { provider: ProviderId; dialects: readonly string[]; start: (o: SimulatorOptions) => Promise<RunningSimulator>; adapter: typeof sarvVoiceAdapter }[] = [
  { provider: 'voiceotp-v2', dialects: VOICEOTP_DIALECTS, start: startVoiceotpV2Sim, adapter: voiceotpV2Adapter },
  { provider: 'sarv-voice', dialects: SARV_DIALECTS, start: startSarvVoiceSim, adapter: sarvVoiceAdapter },
];

const HTTP = { backoffMs: 1, maxBackoffMs: 5, retries: 2 };

for (const { provider, dialects, start, adapter } of CASES) {
  describe(`${provider}: every dialect`, () => {
    let ws: Workspace;
    beforeAll(() => {
      isolatedKeyFile();
      ws = openWorkspace(tempDir());
    });
    afterAll(() => ws.close());

    for (const dialect of dialects) {
      it(`${dialect}: known ids stored exactly, unknown ones counted, none fatal`, async () => {
        const sim = await start({ seed: 11, calls: 130, dialect });
        try {
          expect(sim.unknownIds.length).toBeGreaterThan(1);
          const name = `${provider} ${dialect}`;
          await ws.accounts.add({ name, provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
          const [r] = await syncAccounts(ws, { accounts: [name], ids: sim.ids, http: HTTP });
          expect(r!.error).toBeNull();
          // The sync's own check: every id asked got a call or a "not found".
          expect(r!.complete).toBe(true);
          expect(differences(cachedCalls(ws, name), sim.expected)).toEqual([]);
          expect({ inserted: r!.inserted, notFound: r!.notFound }).toEqual({ inserted: sim.expected.length, notFound: sim.unknownIds.length });
        } finally {
          await sim.close();
        }
      });
    }

    it('each page says which ids it asked; over the sync every id asked is answered, as a row or as unknown', async () => {
      const sim = await start({ seed: 12, calls: 60, dialect: dialects[0] });
      const http = new HttpClient({ account: 'asked', baseUrl: sim.baseUrl, secrets: Object.values(sim.secrets), ...HTTP });
      try {
        const pages: SyncPage[] = [];
        const ctx = { account: { name: 'asked', baseUrl: sim.baseUrl, timezone: sim.timezone }, secrets: sim.secrets, http, window: { from: null, to: null }, cursor: null, ids: sim.ids, signal: new AbortController().signal };
        for await (const p of adapter.pages(ctx)) pages.push(p);
        const asked = new Set(pages.flatMap((p) => p.asked ?? []));
        const answered = new Set(pages.flatMap((p) => [...p.cdrs.map((c) => c.callId), ...(p.notFound ?? [])]));
        expect([...asked].sort()).toEqual([...new Set(sim.ids)].sort());
        expect([...answered].sort()).toEqual([...asked].sort());
      } finally {
        await http.close();
        await sim.close();
      }
    });
  });
}

describe('voiceotp-v2: an answer about another call, through the engine', () => {
  const fx = simulatorWorkspace(() => startVoiceotpV2Sim({ seed: 13, calls: 20 }));
  it('the known ids are stored, and the sync is incomplete, naming the id answered with another call', async () => {
    const { sim, ws } = fx;
    // A proxy in front of the simulator that answers one id with the record of another.
    const [asked, other] = [sim.ids[0]!, sim.ids[1]!];
    const { startSimServer } = await import('../../electron/data/providers/simulation/server.ts');
    const proxy = await startSimServer(async (req, res, url) => {
      const path = url.pathname.endsWith(encodeURIComponent(asked)) ? url.pathname.replace(encodeURIComponent(asked), encodeURIComponent(other)) : url.pathname;
      const r = await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: String(req.headers.authorization) } });
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
    });
    try {
      await fx.addAccount('proxied', proxy.baseUrl);
      const [r] = await syncAccounts(ws, { accounts: ['proxied'], ids: sim.ids, http: HTTP });
      expect(r!.complete).toBe(false);
      expect(r!.error).toContain(`call id ${asked} was answered with the record of call ${other}`);
      const stored = cachedCalls(ws, 'proxied').map((c) => c.callId);
      expect(stored).not.toContain(asked);
      expect(stored.length).toBe(sim.expected.length - 1);
    } finally {
      await proxy.close();
    }
  });
});

describe('a dialect per request: ?dialect=NAME', () => {
  it('voiceotp-v2 and sarv-voice simulators answer one request in the dialect it names, and refuse an unknown name', async () => {
    const vo = await startVoiceotpV2Sim({ seed: 1, calls: 3 });
    const sv = await startSarvVoiceSim({ seed: 1, calls: 3 });
    try {
      const headers = { authorization: vo.secrets.token! };
      const plain = await fetch(`${vo.baseUrl}/api/v2/report/nope?dialect=unknown-text-404`, { headers });
      expect([plain.status, await plain.text()]).toEqual([404, '404 page not found']);
      const seed = await fetch(`${vo.baseUrl}/api/v2/report/nope`, { headers });
      expect(await seed.json()).toEqual({ messsage: 'Not Found', code: 404, status: false, data: { error: 'record not found' } });
      expect((await fetch(`${vo.baseUrl}/api/v2/report/nope?dialect=klingon`, { headers })).status).toBe(500);

      const q = new URLSearchParams({ ...sv.secrets, unique_ids: sv.ids[0]!, dialect: 'desc-key' });
      const body = (await (await fetch(`${sv.baseUrl}/api/voice/fetch_report.php?${q}`)).json()) as { desc: Record<string, unknown> };
      expect(Object.keys(body)).toEqual(['status', 'code', 'desc']);
      expect(Object.keys(body.desc)).toEqual([sv.ids[0]]);
    } finally {
      await vo.close();
      await sv.close();
    }
  });
});
