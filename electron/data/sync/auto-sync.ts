// Automatic sync while the app is open: when each account is due (its interval: off, every 15 min / 1 h / 4 h, or
// daily at a time in the account's zone), never two syncs of one account at once, nothing while offline, and a
// growing wait after failures. Plain Node with the clock passed in, so tests drive time; the data host owns the
// timer (it calls tick() when nextWake() says).
import type { AutoSyncInterval, LAST_RUN_VERDICTS } from '../../shared/auto-sync.ts';
import { zonedToEpochMs, wallTimeAt } from '../time/zone.ts';

export type { AutoSyncInterval };
/** The sync's own check (complete, incomplete, unverified), or failed; only failed backs off. */
export type SyncVerdict = (typeof LAST_RUN_VERDICTS)[number];

export interface AutoSyncAccount {
  name: string;
  timezone: string;
  interval: AutoSyncInterval;
  /** When its last sync (by anyone: this scheduler, the user, the CLI) finished, and how. */
  last: { at: number; verdict: SyncVerdict } | null;
}

export interface AutoSyncStatus {
  name: string;
  /** When the next automatic sync is due (epoch ms), null when off. */
  next: number | null;
  last: AutoSyncAccount['last'];
  running: boolean;
  /** Waiting for the network to come back. */
  paused: boolean;
}

export interface AutoSyncDeps {
  now(): number;
  online(): boolean;
  accounts(): AutoSyncAccount[];
  /** Runs one sync of the account and says how it went (a throw counts as failed). */
  sync(name: string): Promise<SyncVerdict>;
}

/** First wait after a failure; it doubles with each failure in a row, up to the account's own interval (or 4 h). */
export const RETRY_FIRST_MS = 5 * 60_000;
const RETRY_MAX_MS = 4 * 3_600_000;
/** How often to look again when nothing is due sooner (offline, or only daily accounts). */
export const IDLE_CHECK_MS = 60_000;

/** The latest daily start (HH:MM in `zone`) at or before `now`. */
function lastDailyStart(at: string, zone: string, now: number): number {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  const w = wallTimeAt(zone, now);
  const today = zonedToEpochMs(zone, { year: w.year, month: w.month, day: w.day, hour, minute, second: 0 });
  if (today <= now) return today;
  const y = new Date(Date.UTC(w.year, w.month - 1, w.day - 1));
  return zonedToEpochMs(zone, { year: y.getUTCFullYear(), month: y.getUTCMonth() + 1, day: y.getUTCDate(), hour, minute, second: 0 });
}

/** When `a` is next due by its interval alone (may be in the past: overdue), null when off. */
export function dueAt(a: AutoSyncAccount, now: number): number | null {
  const i = a.interval;
  if (i.kind === 'off') return null;
  if (i.kind === 'every') return a.last ? a.last.at + i.minutes * 60_000 : now;
  const start = lastDailyStart(i.at, a.timezone, now);
  if (!a.last || a.last.at < start) return start;
  return lastDailyStart(i.at, a.timezone, start + 36 * 3_600_000); // tomorrow's start
}

export class AutoSync {
  private readonly running = new Set<string>();
  /** Failures in a row and when the last one ended, per account. */
  private readonly failures = new Map<string, { count: number; at: number }>();

  private readonly deps: AutoSyncDeps;

  constructor(deps: AutoSyncDeps) {
    this.deps = deps;
  }

  /** When this account may run next: its due time; after failures, a retry that waits longer each time. */
  private nextFor(a: AutoSyncAccount, now: number): number | null {
    const due = dueAt(a, now);
    if (due === null) return null;
    const f = this.failures.get(a.name);
    if (!f) return due;
    const cap = a.interval.kind === 'every' ? Math.min(a.interval.minutes * 60_000, RETRY_MAX_MS) : RETRY_MAX_MS;
    return f.at + Math.min(cap, RETRY_FIRST_MS * 2 ** (f.count - 1));
  }

  /** Starts every account that is due (not already syncing) and returns the syncs started. Offline: none. */
  tick(): Promise<void>[] {
    const now = this.deps.now();
    if (!this.deps.online()) return [];
    const started: Promise<void>[] = [];
    for (const a of this.deps.accounts()) {
      const next = this.nextFor(a, now);
      if (next === null || next > now || this.running.has(a.name)) continue;
      started.push(this.run(a.name));
    }
    return started;
  }

  private async run(name: string): Promise<void> {
    this.running.add(name);
    let verdict: SyncVerdict;
    try {
      verdict = await this.deps.sync(name);
    } catch {
      verdict = 'failed';
    } finally {
      this.running.delete(name);
    }
    if (verdict === 'failed') {
      const f = this.failures.get(name);
      this.failures.set(name, { count: (f?.count ?? 0) + 1, at: this.deps.now() });
    } else this.failures.delete(name);
  }

  /** When tick() should run next: the soonest due account, or a minute from now when waiting (offline, nothing due). */
  nextWake(): number {
    const now = this.deps.now();
    if (!this.deps.online()) return now + IDLE_CHECK_MS;
    const times = this.deps.accounts().filter((a) => !this.running.has(a.name)).map((a) => this.nextFor(a, now)).filter((t): t is number => t !== null);
    return Math.max(now, Math.min(now + IDLE_CHECK_MS, ...times));
  }

  /** The quiet status line's facts, per account. */
  status(): AutoSyncStatus[] {
    const now = this.deps.now();
    const paused = !this.deps.online();
    return this.deps.accounts().map((a) => ({ name: a.name, next: this.nextFor(a, now), last: a.last, running: this.running.has(a.name), paused }));
  }
}
