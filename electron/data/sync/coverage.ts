// The coverage ledger: which time ranges of an account have been synced completely, and when. Each listing
// sync run records the range it covered and its verdict (sync/engine.ts); a range's status is the best any run
// gave it (complete over unverified over incomplete), since what a complete sync stored stays cached whatever a
// later sync does. A range no run touched was never synced. Days are the account's own (its zone).
import type { Database } from 'better-sqlite3';
import type { CoverageDay, CoverageRange, CoverageResponse, DayStatus, VerdictStatus } from '../../shared/coverage.ts';
import { PROVIDERS } from '../../shared/providers.ts';
import { UserError } from '../errors.ts';
import { toIsoUtc, wallTimeAt, zonedToEpochMs } from '../time/zone.ts';
import type { Workspace } from '../workspace.ts';

/** One run's contribution: [from, to) in epoch ms, from null = the provider's beginning. */
export interface LedgerRun {
  from: number | null;
  to: number;
  verdict: VerdictStatus;
  syncedAt: number;
}

/** A stretch of time with one status: [from, to), null ends unbounded. */
export interface Segment {
  from: number | null;
  to: number | null;
  status: DayStatus;
  syncedAt: number | null;
}

const RANK: Record<DayStatus, number> = { complete: 3, unverified: 2, gap: 1, never: 0 };
const statusOf = (v: VerdictStatus): DayStatus => (v === 'incomplete' ? 'gap' : v);

/** The ledger as consecutive segments covering all time, each with the best status any run gave it. Pure. */
export function coverageSegments(runs: readonly LedgerRun[]): Segment[] {
  const cuts = [...new Set(runs.flatMap((r) => (r.from === null ? [r.to] : [r.from, r.to])))].sort((a, b) => a - b);
  const bounds: (number | null)[] = [null, ...cuts, null];
  const out: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    let best: Segment = { from, to, status: 'never', syncedAt: null };
    for (const r of runs) {
      const covers = (r.from === null || (from !== null && r.from <= from)) && to !== null && to <= r.to;
      if (!covers) continue;
      const s = statusOf(r.verdict);
      if (RANK[s] > RANK[best.status] || (s === best.status && r.syncedAt > (best.syncedAt ?? -Infinity))) best = { from, to, status: s, syncedAt: r.syncedAt };
    }
    const last = out.at(-1);
    if (last && last.status === best.status) {
      last.to = to;
      last.syncedAt = best.syncedAt === null ? null : Math.max(last.syncedAt ?? -Infinity, best.syncedAt);
    } else out.push(best);
  }
  return out;
}

/** The status of [from, to) from the segments: complete only if all of it is; never only if none was touched. */
export function statusBetween(segments: readonly Segment[], from: number, to: number): { status: DayStatus; syncedAt: number | null } {
  let worst: DayStatus | null = null;
  let touched = false;
  let syncedAt: number | null = null;
  for (const s of segments) {
    if ((s.to !== null && s.to <= from) || (s.from !== null && s.from >= to)) continue;
    if (s.status !== 'never') touched = true;
    if (worst === null || RANK[s.status] < RANK[worst]) worst = s.status;
    if (s.syncedAt !== null) syncedAt = Math.max(syncedAt ?? -Infinity, s.syncedAt);
  }
  // Part synced and part never (today, after the last sync): a gap, not "never".
  const status = worst === 'never' && touched ? 'gap' : (worst ?? 'never');
  return { status, syncedAt: status === 'never' ? null : syncedAt };
}

const DAY_MS = 86_400_000;
/** At most this many days in one answer (ten years). */
export const MAX_COVERAGE_DAYS = 3660;

/** 'YYYY-MM-DD' <-> days since 1970-01-01 (a calendar day, no zone). */
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
function dayOf(zone: string, ms: number): number {
  const w = wallTimeAt(zone, ms);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
}
function dayStart(zone: string, n: number): number {
  const d = new Date(n * DAY_MS);
  return zonedToEpochMs(zone, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 });
}

export function ledgerRuns(db: Database, accountId: number): LedgerRun[] {
  return (
    db
      .prepare(
        `SELECT covered_from AS "from", covered_to AS "to", verdict, finished_at AS syncedAt FROM sync_runs
         WHERE account_id = ? AND covered_to IS NOT NULL AND verdict IS NOT NULL AND finished_at IS NOT NULL ORDER BY id`,
      )
      .all(accountId) as LedgerRun[]
  );
}

/** The account's coverage: merged ranges, and one entry per day from `from` to `to` (YYYY-MM-DD, its zone). */
export function accountCoverage(ws: Workspace, name: string, days: { from?: string; to?: string } = {}, now = Date.now()): CoverageResponse {
  const account = ws.accounts.get(name);
  const zone = account.timezone;
  const byTime = PROVIDERS[account.provider].listing === 'list';
  const segments = byTime ? coverageSegments(ledgerRuns(ws.db, account.id)) : [];
  const ranges: CoverageRange[] = segments
    .filter((s) => !(s.status === 'never' && (s.from === null || s.to === null)))
    .map((s) => ({ from: toIsoUtc(s.from), to: toIsoUtc(s.to), status: s.status, syncedAt: toIsoUtc(s.syncedAt) }));

  const calls = ws.db.prepare('SELECT day, sum(n) AS n FROM cdrs_day_totals WHERE account_id = ? AND day >= ? AND day <= ? GROUP BY day');
  const firstCall = ws.db.prepare('SELECT min(day) FROM cdrs_day_totals WHERE account_id = ? AND day > -1000000 AND n > 0').pluck().get(account.id) as number | null;
  const firstBound = segments.find((s) => s.from !== null)?.from ?? null;
  const today = dayOf(zone, now);
  const check = (d: string | undefined, which: string) => {
    if (d !== undefined && !Number.isFinite(dayNumber(d))) throw new UserError(`--${which} "${d}" is not a day (YYYY-MM-DD)`, account.name);
    return d === undefined ? undefined : dayNumber(d);
  };
  const to = check(days.to, 'to') ?? today;
  // By default from the first day with calls or coverage, but never more days than one answer holds.
  const from = check(days.from, 'from') ?? Math.max(to - MAX_COVERAGE_DAYS + 1, Math.min(firstCall ?? today, firstBound === null ? today : dayOf(zone, firstBound), to));
  if (from > to) throw new UserError(`the first day ${dayText(from)} is after the last ${dayText(to)}`, account.name);
  if (to - from + 1 > MAX_COVERAGE_DAYS) throw new UserError(`at most ${MAX_COVERAGE_DAYS} days at once (asked ${dayText(from)}..${dayText(to)})`, account.name);

  const perDay = new Map((calls.all(account.id, from, to) as { day: number; n: number }[]).map((r) => [r.day, r.n]));
  const list: CoverageDay[] = [];
  for (let n = from; n <= to; n++) {
    const s = byTime ? statusBetween(segments, dayStart(zone, n), dayStart(zone, n + 1)) : { status: 'never' as const, syncedAt: null };
    list.push({ day: dayText(n), status: s.status, syncedAt: toIsoUtc(s.syncedAt), calls: perDay.get(n) ?? 0 });
  }
  return { account: account.name, timezone: zone, byTime, ranges, days: list };
}
