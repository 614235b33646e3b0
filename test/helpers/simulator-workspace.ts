// A provider simulator and a fresh workspace shared by one describe block: started before its tests, closed after
// them, with accounts added against the simulator by name. Replaces the same beforeAll/afterAll in many blocks.
import { afterAll, beforeAll } from 'vitest';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from './tmp.ts';

export interface SimulatorWorkspace<S extends RunningSimulator = RunningSimulator> {
  /** Set once the block's beforeAll has run. */
  sim: S;
  /** The second simulator of `options.alongside`, set once the block's beforeAll has run. */
  alongside: RunningSimulator;
  ws: Workspace;
  /** The secret store's key file of this block (CDR_DESK_KEY_FILE for a CLI run on `ws`). */
  keyFile: string;
  /**
   * Adds an account of the simulator's provider, zone and secrets: on `fx.sim` unless `on` names another
   * simulator; a base URL or secrets that differ if given (an unreachable server, a wrong token). A string is
   * the base URL.
   */
  addAccount(name: string, overrides?: string | AccountOverrides): Promise<number>;
}

export interface AccountOverrides {
  on?: RunningSimulator;
  baseUrl?: string;
  secrets?: Record<string, string>;
}

export interface SimulatorWorkspaceOptions {
  /** A second simulator started with the first and closed with it (e.g. a clean provider beside a faulty one). */
  alongside?: () => Promise<RunningSimulator>;
}

export function simulatorWorkspace<S extends RunningSimulator>(
  start: () => Promise<S>,
  accounts: readonly string[] = [],
  options: SimulatorWorkspaceOptions = {},
): SimulatorWorkspace<S> {
  const fx = {
    async addAccount(name: string, overrides: string | AccountOverrides = {}) {
      const { baseUrl, secrets, on = fx.sim } = typeof overrides === 'string' ? { baseUrl: overrides } : overrides;
      await fx.ws.accounts.add({ name, provider: on.provider, baseUrl: baseUrl ?? on.baseUrl, timezone: on.timezone, secrets: secrets ?? on.secrets });
      return fx.ws.accounts.get(name).id;
    },
  } as SimulatorWorkspace<S>;
  beforeAll(async () => {
    fx.keyFile = isolatedKeyFile();
    fx.sim = await start();
    if (options.alongside) fx.alongside = await options.alongside();
    fx.ws = openWorkspace(tempDir());
    for (const name of accounts) await fx.addAccount(name);
  });
  afterAll(async () => {
    fx.ws?.close();
    await fx.sim?.close();
    await fx.alongside?.close();
  });
  return fx;
}
