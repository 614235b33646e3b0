// Calls from the data host up to Electron main, for what only main can do: safeStorage lives in the browser
// process and is absent from a utilityProcess, so the host asks main to seal and open secret blobs.
import type { HostPort } from './port.ts';

export type MainOp = 'secrets.seal' | 'secrets.open';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class MainLink {
  private readonly port: HostPort;
  private readonly timeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  constructor(port: HostPort, timeoutMs = 30_000) {
    this.port = port;
    this.timeoutMs = timeoutMs;
  }

  call(op: MainOp, arg: string): Promise<unknown> {
    const callId = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(callId);
        reject(new Error(`the app did not answer ${op} within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(callId, { resolve, reject, timer });
      this.port.post({ callId, op, arg });
    });
  }

  /** True when the message was an answer to one of our calls (and is now settled). */
  settle(message: unknown): boolean {
    if (!message || typeof message !== 'object' || !('callId' in message)) return false;
    const m = message as { callId: unknown; ok?: unknown; result?: unknown; error?: unknown };
    const p = typeof m.callId === 'number' ? this.pending.get(m.callId) : undefined;
    if (!p) return true;
    this.pending.delete(m.callId as number);
    clearTimeout(p.timer);
    if (m.ok === true) p.resolve(m.result);
    else p.reject(new Error(typeof m.error === 'string' ? m.error : 'the app could not do it'));
    return true;
  }
}
