// Jobs the data host has started and not yet finished, as main sees them go by. If the host dies, their
// job.done would never come and the window would wait forever, so main ends them itself with a plain error.
import type { Channel, EventPayload } from '../shared/contract.ts';

type JobDone = EventPayload<'job.done'>;

const JOB_KIND: Partial<Record<Channel, JobDone['kind']>> = {
  'sync.start': 'sync',
  'ids.import': 'sync',
  'export.start': 'export',
};

export class OpenJobs {
  private readonly open = new Map<string, JobDone['kind']>();

  /** A reply went back to the window: remember the job it started, if any. */
  started(channel: Channel, result: unknown): void {
    const kind = JOB_KIND[channel];
    const jobId = (result as { jobId?: unknown } | null)?.jobId;
    if (kind && typeof jobId === 'string') this.open.set(jobId, kind);
  }

  finished(jobId: unknown): void {
    if (typeof jobId === 'string') this.open.delete(jobId);
  }

  /** The host is gone: a job.done for each job still open, and forget them. */
  abandon(reason: string): JobDone[] {
    const done = [...this.open].map(([jobId, kind]) => ({ jobId, kind, ok: false, cancelled: false, error: reason, result: null }));
    this.open.clear();
    return done;
  }
}
