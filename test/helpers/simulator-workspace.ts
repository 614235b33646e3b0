// A provider simulator and a fresh workspace shared by one describe block: started before its tests, closed after
// them, with accounts added against the simulator by name. Replaces the same beforeAll/afterAll in many blocks.
import { afterAll, beforeAll } from 'vitest';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from './tmp.ts';

export interface SimulatorWorkspace {
  /** Set once the block's beforeAll has run. */
  sim: RunningSimulator;
  ws: Workspace;
  /** Adds an account of the simulator's provider, zone and secrets (another base URL if given). */
  addAccount(name: string, baseUrl?: string): Promise<number>;
}

export function simulatorWorkspace(start: () => Promise<RunningSimulator>, accounts: readonly string[] = []): SimulatorWorkspace {
  const fx = {
    async addAccount(name: string, baseUrl?: string) {
      const { sim, ws } = fx;
      await ws.accounts.add({ name, provider: sim.provider, baseUrl: baseUrl ?? sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      return ws.accounts.get(name).id;
    },
  } as SimulatorWorkspace;
  beforeAll(async () => {
    isolatedKeyFile();
    fx.sim = await start();
    fx.ws = openWorkspace(tempDir());
    for (const name of accounts) await fx.addAccount(name);
  });
  afterAll(async () => {
    fx.ws?.close();
    await fx.sim?.close();
  });
  return fx;
}
