// A second sync with nothing new (issue 15): requests and seconds on an account already synced, the bench's
// million-call PBX account in `npm run bench`. The simulator counts the requests it answers.
//   node bench/resync.ts [--calls 20000] [--dir /tmp/cdr-desk-bench-resync]   (builds its own small PBX account)
import { parseArgs } from 'node:util';
import { syncAccounts } from '../electron/data/sync/engine.ts';
import { openWorkspace } from '../electron/data/workspace.ts';
import type { ProviderId } from '../electron/shared/providers.ts';
import { buildCache, type RunningSimWorker } from './build-cache.ts';
import { measure } from './measure.ts';

export interface ResyncResult {
  account: string;
  provider: ProviderId;
  /** Calls the account holds. */
  calls: number;
  requests: number;
  seconds: number;
  inserted: number;
  updated: number;
  /** The sync's own check (true, false, or null when the provider gave nothing to check against). */
  complete: boolean | null;
}

/** Syncs `account` in the cache at `dir` again, its simulator still serving, and counts what it cost. */
export async function resyncBench(dir: string, account: string, sim: RunningSimWorker): Promise<ResyncResult> {
  const ws = openWorkspace(dir);
  try {
    const calls = ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(ws.accounts.get(account).id) as number;
    const before = await sim.requests();
    let result: Awaited<ReturnType<typeof syncAccounts>>[number] | undefined;
    const fig = await measure(1, async () => {
      [result] = await syncAccounts(ws, { accounts: [account] });
    });
    const requests = (await sim.requests()) - before;
    if (!result || result.error) throw new Error(`bench resync of ${account} went wrong: ${JSON.stringify(result)}`);
    return { account, provider: sim.info.provider, calls, requests, seconds: fig.seconds, inserted: result.inserted, updated: result.updated, complete: result.complete };
  } finally {
    ws.close();
  }
}

export const resyncText = (r: ResyncResult) =>
  `${r.account} (${r.provider}, ${r.calls.toLocaleString('en-US')} calls): a second sync with nothing new took ${r.requests} requests and ${r.seconds.toFixed(2)} s (${r.inserted} new, ${r.updated} updated, complete: ${String(r.complete)})`;

if (import.meta.main) {
  const { values } = parseArgs({ options: { calls: { type: 'string' }, dir: { type: 'string' } } });
  const dir = values.dir ?? '/tmp/cdr-desk-bench-resync';
  const name = 'Bucharest PBX';
  const built = await buildCache(dir, [{ name, provider: 'pbx-cdr', calls: Number(values.calls ?? 20_000) }], (l) => console.log(l));
  try {
    console.log(resyncText(await resyncBench(dir, name, built.sims.get('pbx-cdr')!)));
  } finally {
    await Promise.all([...built.sims.values()].map((s) => s.stop()));
  }
}
