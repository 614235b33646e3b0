// The data host's automatic sync: the scheduler (sync/auto-sync.ts) on a real timer for the host's lifetime. Syncs
// start through the same job path as the user's (progress events, verdicts, one sync per account at a time); the
// window tells the host when it goes offline. The timer never keeps the process alive on its own.
import type { AccountRow } from '../accounts/accounts.ts';
import { parseAutoSync, type AutoSyncStatus } from '../../shared/auto-sync.ts';
import { AutoSync, type AutoSyncAccount, type SyncVerdict } from '../sync/auto-sync.ts';
import { toIsoUtc } from '../time/zone.ts';
import type { Workspace } from '../workspace.ts';

export interface AutoSyncRunnerDeps {
  ws: Workspace;
  /** The clock (tests pass their own); default Date.now. */
  now?: () => number;
  /** Starts a sync of one account as a job and resolves with how it ended. */
  sync(name: string): Promise<SyncVerdict>;
  /** True while any sync job (the user's or this one's) runs for the account. */
  busy(name: string): boolean;
  log(line: string): void;
}

/** How the account's last sync ended: failed when it stopped with an error, else its own check. */
function lastOf(a: AccountRow): AutoSyncAccount['last'] {
  if (a.lastSyncAt === null) return null;
  return { at: a.lastSyncAt, verdict: a.lastError ? 'failed' : (a.lastVerdict?.status ?? 'unverified') };
}

export class AutoSyncRunner {
  private online = true;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly deps: AutoSyncRunnerDeps;
  private readonly now: () => number;
  private readonly scheduler: AutoSync;

  constructor(deps: AutoSyncRunnerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.scheduler = new AutoSync({
      now: this.now,
      online: () => this.online,
      // An account a sync job already runs for is left out until it ends: never two syncs of one account.
      accounts: () => this.rows().filter((a) => !deps.busy(a.name)).map((a) => ({ name: a.name, timezone: a.timezone, interval: parseAutoSync(a.autoSync), last: lastOf(a) })),
      sync: deps.sync,
    });
  }

  private rows(): AccountRow[] {
    return this.deps.ws.accounts.all();
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Back online: whatever came due meanwhile starts now. */
  setOnline(online: boolean): void {
    this.online = online;
    this.wake();
  }

  /** Starts what is due and sets the timer for the next look; called again when a sync ends or an account changes. */
  wake(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      for (const started of this.scheduler.tick()) void started.then(() => this.wake());
      this.timer = setTimeout(() => this.wake(), Math.max(0, this.scheduler.nextWake() - this.now()));
      this.timer.unref();
    } catch (err) {
      // The workspace closed under us (shutdown): nothing left to schedule.
      this.stop();
      this.deps.log(`automatic sync stopped: ${(err as Error).message}`);
    }
  }

  status(): AutoSyncStatus[] {
    const scheduled = new Map(this.scheduler.status().map((s) => [s.name, s]));
    return this.rows().map((a) => {
      const s = scheduled.get(a.name);
      const last = lastOf(a);
      return {
        name: a.name,
        setting: a.autoSync,
        next: s?.running || !s ? null : toIsoUtc(s.next),
        last: last && { at: toIsoUtc(last.at)!, verdict: last.verdict },
        running: this.deps.busy(a.name),
        paused: !this.online,
      };
    });
  }
}
