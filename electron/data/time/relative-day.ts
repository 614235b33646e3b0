// "today" and "yesterday" for scheduled jobs: the calendar day they name in a zone at an instant (the account's
// zone, so a 06:30 job in Bucharest exports the Bucharest day before, whatever zone the machine is in).
import { wallTimeAt } from './zone.ts';

export const RELATIVE_DAYS = ['today', 'yesterday'] as const;

const pad = (n: number, l = 2) => String(n).padStart(l, '0');

/** The date YYYY-MM-DD `daysBack` calendar days before the day of `now` in `zone` (not 24-hour steps: DST days). */
export function dayInZone(zone: string, now: number, daysBack = 0): string {
  const w = wallTimeAt(zone, now);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day - daysBack));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `today` / `yesterday` (any case) as that date in `zone`; any other text is returned as given. */
export function resolveRelativeDay<T extends string | undefined>(value: T, zone: string, now: number): T | string {
  const word = value?.trim().toLowerCase();
  if (word === 'today') return dayInZone(zone, now);
  if (word === 'yesterday') return dayInZone(zone, now, 1);
  return value;
}
