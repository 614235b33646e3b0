// An account's running totals count hours in its own zone (totals.ts). They serve hours in another zone too when
// that zone is a whole number of hours ahead of (or behind) the account's own at every instant of its calls:
// Asia/Ho_Chi_Minh is UTC+7 all year, Europe/Paris is an hour behind Europe/Bucharest at every instant (both change
// at 01:00 UTC). Each local hour then is the same hour moved by that many, and a summary by hour or the matrix in
// that zone adds up the totals' rows moved so, where it would read every call; a day only where the zones agree.
import type { Database } from 'better-sqlite3';
import { offsetSpans } from '../search/zone-offsets.ts';
import type { FilterAccount } from '../search/filter.ts';
import { offsetMsAt } from '../time/zone.ts';

const HOUR_MS = 3_600_000;

/**
 * Hours `tz` is ahead of the account's own zone at every instant of its cached calls (negative: behind), or null
 * when that differs between two of them or is not whole hours. An account without a call that started: 0 (no
 * call of it has an hour).
 */
export function hoursAhead(db: Database, account: Pick<FilterAccount, 'id' | 'timezone'>, tz: string): number | null {
  if (account.timezone === tz) return 0;
  // Two statements: SQLite answers a lone min() or max() from the account's index, both together by a scan.
  const lo = db.prepare('SELECT min(started_at) FROM cdrs WHERE account_id = ?').pluck().get(account.id) as number | null;
  const hi = db.prepare('SELECT max(started_at) FROM cdrs WHERE account_id = ?').pluck().get(account.id) as number | null;
  if (lo === null || hi === null) return 0;
  // Each zone's offset holds between its changes: the gap at the first call and at each change of either zone up
  // to the last call is the gap at every instant between.
  const changes = [tz, account.timezone].flatMap((zone) => offsetSpans(zone, lo, hi).flatMap((s) => (s.until !== null && s.until > lo && s.until <= hi ? [s.until] : [])));
  const gaps = new Set([lo, ...changes].map((t) => offsetMsAt(tz, t) - offsetMsAt(account.timezone, t)));
  if (gaps.size !== 1) return null;
  const gap = [...gaps][0]!;
  return gap % HOUR_MS === 0 ? gap / HOUR_MS : null;
}

/**
 * Hours to move the account's totals by for buckets of `by` in `tz` (its own zone when tz is undefined), or null
 * when its totals do not hold them: a day moved by hours is not a day.
 */
export function totalsShiftOf(db: Database, account: Pick<FilterAccount, 'id' | 'timezone'>, by: 'hour' | 'day' | 'matrix', tz: string | undefined): number | null {
  if (tz === undefined) return 0;
  const ahead = hoursAhead(db, account, tz);
  return by === 'day' && ahead !== 0 ? null : ahead;
}
