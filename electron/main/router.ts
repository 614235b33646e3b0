// Every window.api call passes here in main: check the sender frame, validate the request against the contract,
// hand it to main's own handlers (dialogs, shell) or to the data host, and validate the answer again before it
// goes back. No Electron import: the IPC registration in ipc.ts feeds it, tests drive it directly.
import { CHANNELS, describeIssues, isChannel, type Channel } from '../shared/contract.ts';
import { busyMessage, CallLimit } from '../shared/call-limit.ts';
import { isTrustedSender, type SenderInfo } from './security.ts';

export type Reply = { ok: true; result: unknown } | { ok: false; error: string };
export type MainHandlers = Partial<Record<Channel, (request: unknown) => Promise<unknown>>>;

export interface RouterDeps {
  /** Forwards a validated request to the data host (utility process) and resolves with its reply. */
  host: (channel: Channel, request: unknown) => Promise<Reply>;
  main: MainHandlers;
  log: (line: string) => void;
  /** Calls admitted per channel at once (default MAX_IN_FLIGHT_PER_CHANNEL); the rest are refused. */
  limit?: CallLimit;
}

export function createRouter(deps: RouterDeps) {
  const limit = deps.limit ?? new CallLimit();
  async function route(channel: unknown, sender: SenderInfo, payload: unknown): Promise<Reply> {
    if (!isTrustedSender(sender)) {
      deps.log(`refused ${String(channel).slice(0, 80)} from untrusted frame ${String(sender.url).slice(0, 200)}`);
      return { ok: false, error: 'refused: the request did not come from the app window' };
    }
    if (!isChannel(channel)) return { ok: false, error: `unknown channel "${String(channel).slice(0, 80)}"` };
    const spec = CHANNELS[channel];
    const request = spec.request.safeParse(payload ?? {});
    if (!request.success) return { ok: false, error: `${channel}: invalid request: ${describeIssues(request.error)}` };

    return limit.run(channel, () => answer(channel, request.data), () => ({ ok: false, error: busyMessage(channel) }));
  }

  async function answer(channel: Channel, request: unknown): Promise<Reply> {
    const spec = CHANNELS[channel];
    let reply: Reply;
    if (spec.handledBy === 'main') {
      const handler = deps.main[channel];
      if (!handler) return { ok: false, error: `${channel} is not available` };
      try {
        reply = { ok: true, result: await handler(request) };
      } catch (err) {
        reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    } else {
      reply = await deps.host(channel, request);
    }
    if (!reply.ok) {
      deps.log(`${channel} failed: ${reply.error}`);
      return reply;
    }
    const response = spec.response.safeParse(reply.result);
    if (!response.success) {
      deps.log(`${channel}: response breaks the contract: ${describeIssues(response.error)}`);
      return { ok: false, error: `${channel}: internal error (the answer did not match the contract)` };
    }
    return { ok: true, result: response.data };
  }

  return route;
}
