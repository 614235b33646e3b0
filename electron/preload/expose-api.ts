// Builds window.api from the contract's keys and hands it to contextBridge. A pure function of the two Electron
// objects it needs, so tests can load it with stand-ins and check that nothing beyond the contract is exposed.
// The renderer never gets ipcRenderer itself, nor the IpcRendererEvent of an event.
import { buildApi, IPC_EVENT_NAME, ipcNameOf, type Channel, type EventName } from '../shared/contract.ts';

export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function exposeApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  const call = async (channel: Channel, request: unknown) => {
    // Main answers {ok, result} | {ok:false, error}: a thrown error would reach us wrapped in Electron's prefix.
    const reply = (await ipcRenderer.invoke(ipcNameOf(channel), request)) as { ok?: boolean; result?: unknown; error?: string };
    if (reply?.ok !== true) throw new Error(reply?.error ?? `${channel}: no answer`);
    return reply.result;
  };
  const subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    const onEvent = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_NAME, onEvent as (event: unknown, ...args: unknown[]) => void);
    return () => void ipcRenderer.removeListener(IPC_EVENT_NAME, onEvent as (event: unknown, ...args: unknown[]) => void);
  };
  contextBridge.exposeInMainWorld('api', buildApi(call, subscribe));
}
