// Starting a sync from anywhere (Accounts view, Ctrl/Cmd+R): one place that tracks the job and refreshes the
// account list when it ends.
import { refreshAccounts } from './accounts.svelte.ts';
import { call } from './api.ts';
import { t } from './i18n/index.ts';
import { onJobDone, trackJob } from './jobs.svelte.ts';
import { notify, notifyError } from './notices.svelte.ts';

interface SyncAccountResult {
  name: string;
  fetched: number;
  inserted: number;
  updated: number;
  notFound?: number;
  error: string | null;
}

/** `window`: re-pull only these days (YYYY-MM-DD, inclusive, in each account's zone), e.g. a gap in the coverage calendar. */
export async function startSync(accounts: string[], window?: { from: string; to: string }): Promise<string | undefined> {
  try {
    const { jobId } = await call('sync.start', { ...(accounts.length ? { accounts } : {}), ...window });
    watch(jobId, accounts);
    return jobId;
  } catch (err) {
    notifyError(err);
    return undefined;
  }
}

export async function importIds(account: string, request: { text: string } | { file: string }): Promise<string | undefined> {
  try {
    const { jobId } = await call('ids.import', { account, ...request });
    watch(jobId, [account]);
    return jobId;
  } catch (err) {
    notifyError(err);
    return undefined;
  }
}

export async function cancelJob(jobId: string, kind: 'sync' | 'export'): Promise<void> {
  try {
    await call(kind === 'sync' ? 'sync.cancel' : 'export.cancel', { jobId });
  } catch (err) {
    notifyError(err);
  }
}

function watch(jobId: string, accounts: string[]): void {
  trackJob(jobId, 'sync', accounts);
  const off = onJobDone((done) => {
    if (done.jobId !== jobId) return;
    off();
    void refreshAccounts();
    const results = syncResults(done.result);
    if (done.cancelled) notify(t('error.cancelled'));
    // A failed account's own line names it; the job's summary error would only repeat it.
    else if (!done.ok && done.error && !results.some((r) => r.error)) notifyError(new Error(done.error));
    for (const r of results) {
      if (r.error) notifyError(new Error(`${r.name}: ${r.error}`));
      else notify(t('sync.finished', { name: r.name, fetched: r.fetched, inserted: r.inserted, updated: r.updated }));
      if (r.notFound) notify(t('sync.notFound', { count: r.notFound }));
    }
  });
}

function syncResults(result: unknown): SyncAccountResult[] {
  const list = (result as { accounts?: unknown } | null)?.accounts;
  return Array.isArray(list) ? (list as SyncAccountResult[]).filter((r) => r && typeof r.name === 'string') : [];
}
