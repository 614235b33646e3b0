// Calendar periods of a day: the day itself, the first day of its week, or its month, in the Gregorian or the
// Solar Hijri (Persian) calendar. Shared by the summary module (keys) and the renderer (labels), so both read
// a Persian key the same way. Gregorian weeks start on Monday (as the hour × weekday matrix), Persian weeks on
// Saturday.
import { toGregorian, toJalaali } from 'jalaali-js';
import { z } from 'zod';

export const CALENDARS = ['gregorian', 'persian'] as const;
export const Calendar = z.enum(CALENDARS);
export type Calendar = z.infer<typeof Calendar>;

export type Period = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** Days from a week's first day (Monday, or Saturday in the Persian calendar) to a date of UTC weekday `utcDay` (0 = Sunday). */
function daysIntoWeek(utcDay: number, calendar: Calendar): number {
  return calendar === 'persian' ? (utcDay + 1) % 7 : (utcDay + 6) % 7;
}

/** A Gregorian day 'YYYY-MM-DD' as that same day written in `calendar`. */
function dayIn(ms: number, calendar: Calendar): string {
  const d = new Date(ms);
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  if (calendar === 'gregorian') return `${pad(y, 4)}-${pad(m)}-${pad(dd)}`;
  const { jy, jm, jd } = toJalaali(y, m, dd);
  return `${pad(jy, 4)}-${pad(jm)}-${pad(jd)}`;
}

/**
 * The key of the period holding Gregorian day `day` ('YYYY-MM-DD'): the day, the week's first day ('YYYY-MM-DD')
 * or the month ('YYYY-MM'), written in `calendar`.
 */
export function periodKey(day: string, period: Period, calendar: Calendar): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`"${day}" is not a YYYY-MM-DD day`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (period === 'week') return dayIn(ms - daysIntoWeek(new Date(ms).getUTCDay(), calendar) * DAY_MS, calendar);
  const text = dayIn(ms, calendar);
  return period === 'month' ? text.slice(0, 7) : text;
}

/** The Gregorian day 'YYYY-MM-DD' a day key (or a month key's first day) of `calendar` names: what Intl formats. */
export function gregorianDayOf(key: string, calendar: Calendar): string {
  const m = DAY.exec(key) ?? MONTH.exec(key);
  if (!m) throw new Error(`"${key}" is not a YYYY-MM-DD day or YYYY-MM month`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  if (calendar === 'gregorian') return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  const { gy, gm, gd } = toGregorian(y, mo, d);
  return `${pad(gy, 4)}-${pad(gm)}-${pad(gd)}`;
}
