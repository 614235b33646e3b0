// Calendar keys for summaries: a Gregorian day (YYYY-MM-DD, as the totals bucket it) as a day, week or month of the
// Gregorian or the Solar Hijri (Persian) calendar. Gregorian weeks start on Monday (ISO 8601), Persian weeks on
// Saturday, as an Iranian calendar shows them; a week's key is its first day.
import { toJalaali } from 'jalaali-js';

export const CALENDARS = ['gregorian', 'persian'] as const;
export type Calendar = (typeof CALENDARS)[number];
export type CalendarUnit = 'day' | 'week' | 'month';

const pad = (n: number, l = 2) => String(n).padStart(l, '0');
const DAY_MS = 86_400_000;

function dateKey(ms: number, calendar: Calendar): string {
  const d = new Date(ms);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  if (calendar === 'gregorian') return `${pad(y, 4)}-${pad(m)}-${pad(day)}`;
  const j = toJalaali(y, m, day);
  return `${pad(j.jy, 4)}-${pad(j.jm)}-${pad(j.jd)}`;
}

/** The key of the day, week or month that Gregorian day `day` (YYYY-MM-DD) falls in, in `calendar`. */
export function calendarKey(day: string, unit: CalendarUnit, calendar: Calendar): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (unit === 'day') return dateKey(ms, calendar);
  if (unit === 'month') return dateKey(ms, calendar).slice(0, 7);
  const weekday = new Date(ms).getUTCDay(); // 0 Sunday .. 6 Saturday
  const back = calendar === 'persian' ? (weekday + 1) % 7 : (weekday + 6) % 7; // days since Saturday / Monday
  return dateKey(ms - back * DAY_MS, calendar);
}
