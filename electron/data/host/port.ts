// The wire between the data host and whoever drives it. Two carriers, one shape: Electron's utilityProcess
// parentPort (listeners get a MessageEvent, data in .data) and Node's worker_threads MessagePort (listeners get
// the data itself, as in tests).
//
// Messages in:  {id, channel, payload}            a contract call
//               {callId, ok, result | error}      main's answer to a host → main call (secret sealing)
//               {grant: {handle, path, use}}      a file the user picked in main's dialog (file-grants.ts)
// Messages out: {id, ok: true, result} | {id, ok: false, error}
//               {event, payload}                   progress and job.done events
//               {callId, op, arg}                  a host → main call
//               {ready: true}                      once, when the host serves

export interface HostPort {
  post(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
}

interface NodeLikePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export function fromNodePort(port: NodeLikePort): HostPort {
  return { post: (m) => port.postMessage(m), onMessage: (l) => void port.on('message', l) };
}

export function fromParentPort(port: ElectronParentPort): HostPort {
  return { post: (m) => port.postMessage(m), onMessage: (l) => void port.on('message', (e) => l(e?.data)) };
}
