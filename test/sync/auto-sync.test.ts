// The auto-sync scheduler with a fake clock: due at start when the last sync is older than the interval, daily at
// a time in the account's zone, never two syncs of one account at once, nothing while offline, retries that wait
// longer after each failure, and the status line's next and last run.
import { describe, expect, it } from 'vitest';
import { AutoSync, dueAt, IDLE_CHECK_MS, RETRY_FIRST_MS, type AutoSyncAccount, type SyncVerdict } from '../../electron/data/sync/auto-sync.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 5, 0); // 07:00 in Bucharest

function harness(accounts: AutoSyncAccount[]) {
  const h = {
    now: T0,
    online: true,
    calls: [] as string[],
    pending: new Map<string, (v: SyncVerdict) => void>(),
    auto: undefined as unknown as AutoSync,
  };
  h.auto = new AutoSync({
    now: () => h.now,
    online: () => h.online,
    accounts: () => accounts,
    sync: (name) => {
      h.calls.push(name);
      return new Promise<SyncVerdict>((resolve) => h.pending.set(name, (v) => {
        const a = accounts.find((x) => x.name === name)!;
        a.last = { at: h.now, verdict: v };
        resolve(v);
      }));
    },
  });
  /** Finishes the running sync of `name` with `v` and lets the scheduler see it. */
  const finish = async (name: string, v: SyncVerdict, started: Promise<void>[]) => {
    h.pending.get(name)!(v);
    h.pending.delete(name);
    await Promise.all(started);
  };
  return { h, finish };
}

const every = (name: string, minutes: 15 | 60 | 240, lastAt: number | null): AutoSyncAccount => ({
  name, timezone: 'Europe/Bucharest', interval: { kind: 'every', minutes }, last: lastAt === null ? null : { at: lastAt, verdict: 'complete' },
});

describe('auto-sync', () => {
  it('at start, runs the accounts whose last sync is older than their interval, and only those', () => {
    const { h } = harness([every('stale', 60, T0 - 61 * MIN), every('fresh', 60, T0 - 10 * MIN), every('never', 15, null),
      { name: 'off', timezone: 'UTC', interval: { kind: 'off' }, last: null }]);
    h.auto.tick();
    expect(h.calls.sort()).toEqual(['never', 'stale']);
    const status = Object.fromEntries(h.auto.status().map((s) => [s.name, s]));
    expect(status.fresh!.next).toBe(T0 + 50 * MIN);
    expect(status.off!.next).toBeNull();
    expect(status.stale!.running).toBe(true);
  });

  it('daily at a time: due once the time has passed in the account\'s zone, then tomorrow', () => {
    const daily = (last: number | null): AutoSyncAccount => ({ name: 'd', timezone: 'Europe/Bucharest', interval: { kind: 'daily', at: '06:30' }, last: last === null ? null : { at: last, verdict: 'complete' } });
    const todayStart = Date.UTC(2026, 11, 6, 4, 30); // 06:30 in Bucharest (UTC+2)
    expect(dueAt(daily(null), T0)).toBe(todayStart);
    expect(dueAt(daily(todayStart - MIN), T0)).toBe(todayStart);
    expect(dueAt(daily(todayStart + MIN), T0)).toBe(todayStart + 86_400_000);
    expect(dueAt(daily(null), Date.UTC(2026, 11, 6, 4, 0))).toBe(todayStart - 86_400_000); // before 06:30: yesterday's
  });

  it('never starts a second sync of an account while one runs', async () => {
    const { h, finish } = harness([every('a', 15, null)]);
    const first = h.auto.tick();
    h.now += 20 * MIN;
    expect(h.auto.tick()).toEqual([]);
    expect(h.calls).toEqual(['a']);
    await finish('a', 'complete', first);
    expect(h.auto.status()[0]!.next).toBe(h.now + 15 * MIN);
  });

  it('pauses while offline and resumes when the network is back', () => {
    const { h } = harness([every('a', 15, null)]);
    h.online = false;
    expect(h.auto.tick()).toEqual([]);
    expect(h.auto.status()[0]!.paused).toBe(true);
    expect(h.auto.nextWake()).toBe(h.now + IDLE_CHECK_MS);
    h.online = true;
    h.auto.tick();
    expect(h.calls).toEqual(['a']);
  });

  it('after failures, retries sooner than the interval but waits twice as long each time, capped by the interval', async () => {
    const { h, finish } = harness([every('a', 240, null)]);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = h.auto.tick();
      expect(started).toHaveLength(1);
      await finish('a', 'failed', started);
      const next = h.auto.status()[0]!.next!;
      waits.push((next - h.now) / MIN);
      h.now = next - 1;
      expect(h.auto.tick()).toEqual([]); // not a millisecond early
      h.now = next;
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 240]);
    const started = h.auto.tick();
    await finish('a', 'incomplete', started); // not a failure: back to the interval
    expect(h.auto.status()[0]).toMatchObject({ next: h.now + 240 * MIN, last: { at: h.now, verdict: 'incomplete' } });
    expect(RETRY_FIRST_MS).toBe(5 * MIN);
  });

  it('a sync that throws counts as failed', async () => {
    const accounts = [every('a', 60, null)];
    let now = T0;
    const auto = new AutoSync({ now: () => now, online: () => true, accounts: () => accounts, sync: async () => { throw new Error('unreachable'); } });
    await Promise.all(auto.tick());
    expect(auto.status()[0]!.next).toBe(now + RETRY_FIRST_MS);
    now += 1;
    expect(auto.nextWake()).toBe(now + IDLE_CHECK_MS); // looks again within a minute, starts nothing early
    expect(auto.tick()).toEqual([]);
  });
});
