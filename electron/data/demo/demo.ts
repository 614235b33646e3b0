// The demo: every registered simulator on 127.0.0.1, one demo account for each, synced, so a new user sees
// real-looking calls with no credentials. Used by `cdr-desk demo` and by the app's "demo workspace".
// Re-running it in the same data folder reuses the demo accounts (pointing them at the new ports); the
// simulators' data is deterministic, so a re-sync changes nothing.
import { UserError } from '../errors.ts';
import { syncAccounts, type AccountSyncResult, type SyncOptions } from '../sync/engine.ts';
import type { Workspace } from '../workspace.ts';
import type { ProviderId } from '../../shared/providers.ts';
import { SIMULATORS } from '../providers/simulators.ts';
import type { RunningSimulator } from '../providers/simulation/types.ts';

export const DEMO_ACCOUNT_NAMES: Readonly<Record<ProviderId, string>> = {
  'pbx-cdr': 'Demo PBX (Bucharest)',
  'tel4vn-v3': 'Demo Autocall (Ho Chi Minh City)',
  'autodialer-v4': 'Demo Autodialer (Tehran)',
  'voiceotp-v2': 'Demo Voice OTP (Hanoi)',
  'sarv-voice': 'Demo Voice Report (Mumbai)',
};

/** Fixed so the demo shows the same calls every time. */
const DEMO_SEED = 20241027;

export interface DemoAccount {
  name: string;
  provider: ProviderId;
  baseUrl: string;
  timezone: string;
  sync: AccountSyncResult;
}

export interface DemoSession {
  accounts: DemoAccount[];
  simulators: RunningSimulator[];
  /** Stops every simulator (the demo accounts and their cached calls stay). */
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Calls per simulator (default: each simulator's own default). */
  calls?: number;
  signal?: AbortSignal;
  onProgress?: SyncOptions['onProgress'];
  http?: SyncOptions['http'];
  /** The data host's committer: the demo's accounts and syncs then write through the host's one write path. */
  committer?: SyncOptions['committer'];
}

/** Starts the simulators, adds or re-points the demo accounts, and syncs them. */
export async function startDemo(ws: Workspace, options: DemoOptions = {}): Promise<DemoSession> {
  const sims: RunningSimulator[] = [];
  const close = async () => {
    await Promise.all(sims.map((s) => s.close().catch(() => undefined)));
  };
  try {
    const providers = (Object.keys(SIMULATORS) as ProviderId[]).sort();
    for (const provider of providers) {
      sims.push(await SIMULATORS[provider]({ seed: DEMO_SEED, calls: options.calls, port: 0 }));
    }
    const idsByAccount: Record<string, string[]> = {};
    for (const sim of sims) {
      const name = DEMO_ACCOUNT_NAMES[sim.provider];
      const existing = ws.accounts.find(name);
      if (existing && existing.provider !== sim.provider) {
        throw new UserError(`an account with this name exists for provider ${existing.provider}; rename it to run the demo`, name);
      }
      const point = () =>
        existing
          ? ws.accounts.edit(name, { baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets })
          : ws.accounts.add({ name, provider: sim.provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      await (options.committer ? options.committer.path.write(point) : point());
      if (sim.ids.length) idsByAccount[name] = sim.ids;
    }
    const names = sims.map((s) => DEMO_ACCOUNT_NAMES[s.provider]);
    const results = await syncAccounts(ws, {
      accounts: names,
      idsByAccount,
      signal: options.signal,
      onProgress: options.onProgress,
      http: options.http,
      committer: options.committer,
      concurrency: names.length,
    });
    return {
      accounts: sims.map((sim, i) => ({
        name: names[i]!,
        provider: sim.provider,
        baseUrl: sim.baseUrl,
        timezone: sim.timezone,
        sync: results[i]!,
      })),
      simulators: sims,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
