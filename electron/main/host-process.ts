// The data host in its utilityProcess: its own heap, so a crash or a long query never freezes the window.
// Main forwards validated calls to it by id, relays its events to the window, answers its secret calls, and
// restarts it when it dies (calls in flight fail with a plain message; the window stays up).
import { utilityProcess, type UtilityProcess } from 'electron';
import type { Channel, EventName } from '../shared/contract.ts';
import { newFileHandle, type FileUse } from '../shared/file-handle.ts';
import { OpenJobs } from './open-jobs.ts';
import type { Reply } from './router.ts';

export interface DataHostOptions {
  modulePath: string;
  args: string[];
  onEvent: (event: EventName, payload: unknown) => void;
  onMainCall: (op: unknown, arg: unknown) => Promise<unknown>;
  log: (line: string) => void;
}

interface Pending {
  resolve: (reply: Reply) => void;
}

export class DataHostProcess {
  private readonly options: DataHostOptions;
  private child: UtilityProcess | null = null;
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => {};
  private readonly pending = new Map<number, Pending & { channel: Channel }>();
  private readonly jobs = new OpenJobs();
  private nextId = 1;
  private stopping = false;
  private restartDelayMs = 500;
  private startedAt = 0;

  constructor(options: DataHostOptions) {
    this.options = options;
    this.resetReady();
  }

  /** Calls wait here until the (re)started host says it serves. */
  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  start(): void {
    this.startedAt = Date.now();
    const child = utilityProcess.fork(this.options.modulePath, this.options.args, { serviceName: 'CDR Desk data host', stdio: 'pipe' });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.options.log(`data host: ${d.toString().trimEnd()}`));
    child.stderr?.on('data', (d: Buffer) => this.options.log(`data host: ${d.toString().trimEnd()}`));
    child.on('message', (m: unknown) => this.onMessage(m));
    child.on('exit', (code) => this.onExit(child, code));
  }

  /** False when the host has not said it serves within 30 s. */
  private async started(): Promise<boolean> {
    const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 30_000).unref());
    return (await Promise.race([this.ready, timeout])) !== 'late';
  }

  async request(channel: Channel, payload: unknown): Promise<Reply> {
    if (!(await this.started())) return { ok: false, error: 'the data host did not start; see the log' };
    const child = this.child;
    if (!child) return { ok: false, error: 'the data host is not running' };
    const id = this.nextId++;
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, { resolve, channel });
      child.postMessage({ id, channel, payload });
    });
  }

  /**
   * Grants the host one use of a file the user picked in main's own dialog and answers its opaque handle. The
   * grant goes down the same ordered port as the calls, so it arrives before any call that redeems it.
   */
  async grantFile(path: string, use: FileUse): Promise<string> {
    if (!(await this.started()) || !this.child) throw new Error('the data host is not running; pick the file again in a moment');
    const handle = newFileHandle();
    this.child.postMessage({ grant: { handle, path, use } });
    return handle;
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  private onMessage(m: unknown): void {
    if (!m || typeof m !== 'object') return;
    const msg = m as Record<string, unknown>;
    if (msg.ready === true) return this.markReady();
    if (typeof msg.event === 'string') {
      if (msg.event === 'job.done') this.jobs.finished((msg.payload as { jobId?: unknown } | null)?.jobId);
      return this.options.onEvent(msg.event as EventName, msg.payload);
    }
    if (typeof msg.callId === 'number') {
      const callId = msg.callId;
      this.options.onMainCall(msg.op, msg.arg).then(
        (result) => this.child?.postMessage({ callId, ok: true, result }),
        (err: unknown) => this.child?.postMessage({ callId, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok === true) this.jobs.started(p.channel, msg.result);
      p.resolve(msg.ok === true ? { ok: true, result: msg.result } : { ok: false, error: String(msg.error ?? 'the data host failed') });
    } else if (msg.id === null) {
      this.options.log(`data host refused a message: ${String(msg.error)}`);
    }
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    for (const p of this.pending.values()) p.resolve({ ok: false, error: 'the data host stopped unexpectedly; it is being restarted, please try again' });
    this.pending.clear();
    if (this.stopping) return;
    for (const done of this.jobs.abandon('the data host stopped unexpectedly while this ran; start it again')) this.options.onEvent('job.done', done);
    // Back off when it keeps dying at start-up; reset once it has run for a minute.
    this.restartDelayMs = Date.now() - this.startedAt > 60_000 ? 500 : Math.min(this.restartDelayMs * 2, 30_000);
    this.options.log(`data host exited with code ${code}; restarting in ${this.restartDelayMs} ms`);
    this.resetReady();
    setTimeout(() => this.start(), this.restartDelayMs);
  }
}
