// The data host's message loop: answers each {id, channel, payload} through the dispatcher, settles answers to
// its own calls up to main, records the file handles main grants, and turns anything malformed into an error reply instead of a crash.
import type { Dispatcher } from './dispatcher.ts';
import { isFileGrantMessage } from './file-grants.ts';
import type { MainLink } from './main-link.ts';
import type { HostPort } from './port.ts';

type RequestId = string | number;

function isId(v: unknown): v is RequestId {
  return (typeof v === 'string' && v.length > 0 && v.length <= 100) || (typeof v === 'number' && Number.isFinite(v));
}

export function serveHost(port: HostPort, dispatcher: Pick<Dispatcher, 'dispatch' | 'files'>, link?: MainLink): void {
  port.onMessage((data) => {
    if (link?.settle(data)) return;
    // Only main writes to this port; the renderer's calls reach it as {id, channel, payload} from the router.
    if (isFileGrantMessage(data)) return dispatcher.files.accept(data.grant);
    const m = (data && typeof data === 'object' ? data : {}) as { id?: unknown; channel?: unknown; payload?: unknown };
    if (!isId(m.id) || typeof m.channel !== 'string') {
      port.post({ id: isId(m.id) ? m.id : null, ok: false, error: 'malformed message: expected {id, channel, payload}' });
      return;
    }
    const id = m.id;
    dispatcher
      .dispatch(m.channel, m.payload)
      .then((reply) => port.post({ id, ...reply }))
      // dispatch never rejects; this guards against a reply that cannot be cloned onto the port.
      .catch((err: unknown) => port.post({ id, ok: false, error: `could not send the answer: ${String((err as Error)?.message ?? err)}` }));
  });
  port.post({ ready: true });
}
