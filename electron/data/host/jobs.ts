// Long work (sync, export) runs as a job: the call that starts it answers at once with a jobId, progress streams
// as events, and job.done closes it. Cancel aborts the job's signal; the data layer stops at its next check.
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import { describeError, UserError } from '../errors.ts';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type JobKind = EventPayload<'job.done'>['kind'];

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
}

/** What a job ends with: its result, and a one-line error when it (partly) failed. */
export interface JobOutcome {
  result: unknown;
  error: string | null;
}

export class Jobs {
  private readonly emit: Emit;
  private readonly running = new Map<string, { kind: JobKind; abort: AbortController; done: Promise<void> }>();

  constructor(emit: Emit) {
    this.emit = emit;
  }

  start(kind: JobKind, run: (ctx: JobContext) => Promise<JobOutcome>): string {
    const jobId = `${kind}-${randomUUID()}`;
    const abort = new AbortController();
    const finish = (ok: boolean, result: unknown, error: string | null) => {
      this.running.delete(jobId);
      this.emit('job.done', { jobId, kind, ok, cancelled: abort.signal.aborted, error, result: result ?? null });
    };
    // Deferred to the next turn so the reply carrying the jobId is sent before the job's first event.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => run({ jobId, signal: abort.signal }))
      .then(
        (o) => finish(o.error === null, o.result, o.error),
        (err) => finish(false, null, abort.signal.aborted ? 'cancelled' : describeError(err)),
      );
    this.running.set(jobId, { kind, abort, done });
    return jobId;
  }

  /** Cancelling a job that already finished is not an error: the user may click just as it ends. */
  cancel(jobId: string, kind: JobKind): void {
    const job = this.running.get(jobId);
    if (job && job.kind !== kind) throw new UserError(`job ${jobId} is not a ${kind} job`);
    job?.abort.abort();
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.abort.abort();
  }

  /** Resolves when every job started so far has finished (shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((j) => j.done));
  }
}
