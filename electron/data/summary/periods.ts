// Days added up into weeks and months of the Gregorian or the Persian calendar (electron/shared/calendar.ts).
import { periodKey, type Calendar } from '../../shared/calendar.ts';
import { UserError } from '../errors.ts';
import { addSums, type Sums } from './figures.ts';

/** Groupings made of whole local days: counted by day, then each day's sums added to its period. */
export type DayGrouping = 'day' | 'week' | 'month';
export const isDayGrouping = (by: string): by is DayGrouping => by === 'day' || by === 'week' || by === 'month';

export function checkCalendar(calendar: unknown): Calendar {
  if (calendar === undefined) return 'gregorian';
  if (calendar !== 'gregorian' && calendar !== 'persian') throw new UserError(`unknown calendar "${String(calendar)}" (use gregorian or persian)`);
  return calendar;
}

/**
 * Local days' sums (keys 'YYYY-MM-DD', Gregorian) added up per day, week or month of `calendar`. The days are
 * already cut at each zone's local midnight, offsets and all, so a period begins exactly where its first day
 * does, daylight saving or not.
 */
export function inPeriods(days: Map<string | null, Sums>, period: DayGrouping, calendar: Calendar): Map<string | null, Sums> {
  if (period === 'day' && calendar === 'gregorian') return days;
  const out = new Map<string | null, Sums>();
  for (const [day, s] of days) {
    const key = day === null ? null : periodKey(day, period, calendar);
    const had = out.get(key);
    out.set(key, had ? addSums(had, s) : s);
  }
  return out;
}
