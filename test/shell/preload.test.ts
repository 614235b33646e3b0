// The preload exposes exactly the contract: one function per channel at its dotted path, plus `on`, and
// nothing else (no ipcRenderer, no event objects). Loaded with recording stand-ins for Electron's two objects.
import { describe, expect, it } from 'vitest';
import { exposeApi, type IpcRendererLike } from '../../electron/preload/expose-api.ts';
import { CHANNEL_NAMES, IPC_EVENT_NAME, ipcNameOf } from '../../electron/shared/contract.ts';

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'function') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function load() {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, ...args]);
      return channel === ipcNameOf('accounts.remove') ? { ok: false, error: 'account "x": no such account' } : { ok: true, result: 'R' };
    },
    on: (channel, l) => (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(l),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  exposeApi({ exposeInMainWorld: (key, api) => (exposed[key] = api) }, ipc);
  return { exposed, invoked, listeners };
}

describe('preload', () => {
  it('exposes one key, api, holding exactly the contract channels and on()', () => {
    const { exposed } = load();
    expect(Object.keys(exposed)).toEqual(['api']);
    expect(leaves(exposed.api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
  });

  it('invokes the channel\'s IPC name and unwraps the answer into a value or an Error', async () => {
    const { exposed, invoked } = load();
    const api = exposed.api as { accounts: Record<string, (r?: unknown) => Promise<unknown>> };
    expect(await api.accounts.list!()).toBe('R');
    await expect(api.accounts.remove!({ name: 'x' })).rejects.toThrow('account "x": no such account');
    expect(invoked).toEqual([
      ['api:accounts.list', {}],
      ['api:accounts.remove', { name: 'x' }],
    ]);
  });

  it('delivers only the subscribed event, without Electron\'s event object, and unsubscribes', () => {
    const { exposed, listeners } = load();
    const api = exposed.api as { on: (e: string, l: (p: unknown) => void) => () => void };
    const got: unknown[] = [];
    const off = api.on('job.done', (p) => got.push(p));
    const fire = (name: string, payload: unknown) => listeners.get(IPC_EVENT_NAME)!.forEach((l) => l({ sender: 'ipc' }, name, payload));
    fire('sync.progress', { done: 1 });
    fire('job.done', { jobId: 'j' });
    off();
    fire('job.done', { jobId: 'k' });
    expect(got).toEqual([{ jobId: 'j' }]);
    expect(() => api.on('secrets.dump', () => {})).toThrow(/unknown event/);
  });
});
