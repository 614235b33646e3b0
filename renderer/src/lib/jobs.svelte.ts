// Running sync and export jobs, fed by the data host's progress events. Views read these to draw progress bars.
import type { EventPayload } from '../../../electron/shared/contract.ts';
import { on } from './api.ts';

export type SyncProgress = EventPayload<'sync.progress'>;
export type ExportProgress = EventPayload<'export.progress'>;
export type JobDone = EventPayload<'job.done'>;

export interface Job {
  jobId: string;
  kind: 'sync' | 'export';
  /** Accounts a sync job covers (for showing its bar beside each account). */
  accounts: string[];
  sync: Record<string, SyncProgress>;
  export: ExportProgress | null;
  done: JobDone | null;
}

export const jobs: Record<string, Job> = $state({});
const doneListeners = new Set<(done: JobDone) => void>();

export function trackJob(jobId: string, kind: Job['kind'], accounts: string[] = []): Job {
  jobs[jobId] ??= { jobId, kind, accounts, sync: {}, export: null, done: null };
  return jobs[jobId];
}

/** Called once when a job finishes (ok, failed or cancelled). */
export function onJobDone(listener: (done: JobDone) => void): () => void {
  doneListeners.add(listener);
  return () => doneListeners.delete(listener);
}

export function runningSyncFor(account: string): Job | undefined {
  return Object.values(jobs).find((j) => j.kind === 'sync' && !j.done && (j.accounts.length === 0 || j.accounts.includes(account)));
}

/** Subscribes once to the event stream; returns the unsubscribe for the app's teardown. */
export function listenToJobs(): () => void {
  const offs = [
    on('sync.progress', (p) => {
      // A job this window did not start (the automatic sync) covers the accounts it reports, not every account.
      const job = jobs[p.jobId] ?? trackJob(p.jobId, 'sync', [p.account]);
      if (job.accounts.length && !job.accounts.includes(p.account)) job.accounts.push(p.account);
      job.sync[p.account] = p;
    }),
    on('export.progress', (p) => {
      trackJob(p.jobId, 'export').export = p;
    }),
    on('job.done', (d) => {
      trackJob(d.jobId, d.kind).done = d;
      for (const l of doneListeners) l(d);
    }),
  ];
  return () => offs.forEach((off) => off());
}
