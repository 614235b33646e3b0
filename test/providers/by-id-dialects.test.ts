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
