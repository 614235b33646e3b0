// The data host's automatic sync against a real simulator over 127.0.0.1: a due account syncs as soon as the host
// starts, through the same job path as the user's sync (progress events, job.done, verdict); never two syncs of one
// account at once; the interval counts on the clock passed in; nothing runs while the window says it is offline.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../electron/data/host/dispatcher.ts';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { AutoSyncStatus } from '../../electron/shared/auto-sync.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';

type Event = [string, Record<string, unknown>];

describe('automatic sync in the data host', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 19, calls: 200 }));
  let host: Dispatcher | null = null;
  afterEach(async () => {
    await host?.close();
    host = null;
  });

  function start(now?: () => number) {
    const events: Event[] = [];
    host = createDispatcher(fx.ws, { emit: (e, p) => events.push([e, p as Record<string, unknown>]), log: () => {}, reads: 'inline', now });
    const syncJobs = () => events.filter(([e, p]) => e === 'job.done' && p.kind === 'sync').map(([, p]) => p);
    const jobsDone = async (n: number) => {
      for (let i = 0; i < 400 && syncJobs().length < n; i++) await new Promise((r) => setTimeout(r, 25));
      return syncJobs();
    };
    const status = async () => ((await host!.dispatch('sync.auto.status', {})) as { result: AutoSyncStatus[] }).result;
    return { host, events, jobsDone, status };
  }
  const syncedNames = (job: Record<string, unknown>) => (job.result as { accounts: { name: string }[] }).accounts.map((a) => a.name);

  it('syncs a due account at start, one sync at a time, and again once its interval has passed on the clock', async () => {
    await fx.ws.accounts.add({ name: 'Due', provider: fx.sim.provider, baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone, secrets: fx.sim.secrets, autoSync: '15m' });
    await fx.addAccount('Off');
    let offset = 0;
    const { host, events, jobsDone, status } = start(() => Date.now() + offset);

    // Already running: the user's sync of the same account is refused, and waking the scheduler starts no second one.
    expect(await host.dispatch('sync.start', { accounts: ['Due'] })).toEqual({ ok: false, error: 'account "Due": a sync of this account is already running' });
    await host.dispatch('sync.auto.online', { online: true });
    expect((await status()).find((s) => s.name === 'Due')).toMatchObject({ running: true, next: null, paused: false });

    const [first] = await jobsDone(1);
    expect(first).toMatchObject({ ok: true, cancelled: false, error: null });
    expect(syncedNames(first!)).toEqual(['Due']);
    expect(events.some(([e, p]) => e === 'sync.progress' && p.jobId === first!.jobId && p.account === 'Due')).toBe(true);
    expect(fx.ws.accounts.get('Off').lastSyncAt).toBeNull();

    const due = (await status()).find((s) => s.name === 'Due')!;
    const lastAt = fx.ws.accounts.get('Due').lastSyncAt!;
    expect(due).toMatchObject({ setting: '15m', running: false, paused: false, last: { verdict: fx.ws.accounts.get('Due').lastVerdict!.status } });
    expect(Date.parse(due.next!)).toBe(lastAt + 15 * 60_000);
    expect((await status()).find((s) => s.name === 'Off')).toMatchObject({ setting: 'off', next: null, last: null });

    await new Promise((r) => setTimeout(r, 200));
    expect(await jobsDone(1)).toHaveLength(1); // not due again yet

    offset = 16 * 60_000;
    await host.dispatch('sync.auto.online', { online: true }); // any wake-up looks at the clock again
    // The sync started within that call; the engine stamps it with the real clock, so go back to it.
    expect((await status()).find((s) => s.name === 'Due')).toMatchObject({ running: true });
    offset = 0;
    const jobs = await jobsDone(2);
    expect(syncedNames(jobs[1]!)).toEqual(['Due']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await jobsDone(2)).toHaveLength(2);
    // Through the host: while it is up, its connection writes only through its one write path.
    expect(await host.dispatch('accounts.edit', { name: 'Due', patch: { autoSync: 'off' } })).toMatchObject({ ok: true });
  });

  it('waits while offline and syncs what came due once back online', async () => {
    await fx.addAccount('Later');
    const { host, jobsDone, status } = start();
    await host.dispatch('sync.auto.online', { online: false });
    expect(await host.dispatch('accounts.edit', { name: 'Later', patch: { autoSync: 'daily@06:30' } })).toMatchObject({ ok: true, result: { autoSync: 'daily@06:30' } });

    await new Promise((r) => setTimeout(r, 300));
    expect(await jobsDone(0)).toEqual([]);
    expect((await status()).find((s) => s.name === 'Later')).toMatchObject({ paused: true, running: false, last: null });

    await host.dispatch('sync.auto.online', { online: true });
    const [job] = await jobsDone(1);
    expect(syncedNames(job!)).toEqual(['Later']);
    expect(fx.ws.accounts.get('Later').lastSyncAt).not.toBeNull();
  });

  it('stops with the host: nothing starts after close', async () => {
    const { host: closing, jobsDone } = start();
    await closing.close();
    await fx.ws.accounts.add({ name: 'After close', provider: fx.sim.provider, baseUrl: fx.sim.baseUrl, timezone: fx.sim.timezone, secrets: fx.sim.secrets, autoSync: '15m' });
    await closing.dispatch('sync.auto.online', { online: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobsDone(0)).toEqual([]);
    expect(fx.ws.accounts.get('After close').lastSyncAt).toBeNull();
    await fx.ws.accounts.edit('After close', { autoSync: 'off' });
  });

  it('refuses an interval it does not know, naming the account', async () => {
    const { host } = start();
    expect(await host.dispatch('accounts.edit', { name: 'Later', patch: { autoSync: 'daily@7:30' } })).toMatchObject({ ok: false, error: /auto-sync is off, 15m, 1h, 4h or daily@HH:MM/ });
    await expect(fx.ws.accounts.edit('Later', { autoSync: 'hourly' })).rejects.toThrow(/account "Later".*auto-sync is off/);
    expect(fx.ws.accounts.get('Later').autoSync).toBe('daily@06:30');
  });
});
