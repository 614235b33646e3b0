// Summary keys back to the Gregorian days they name, so the renderer can show a Persian day, week or month key
// with Intl (which formats a Date in the UI language's calendar). The keys themselves are made by the summary
// module (electron/data/time/calendar.ts).
import { toGregorian } from 'jalaali-js';
import type { z } from 'zod';
import type { SummaryCalendar } from './search.ts';

export type Calendar = z.infer<typeof SummaryCalendar>;
export type Period = 'day' | 'week' | 'month';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const KEY = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** The Gregorian day 'YYYY-MM-DD' a day or week key (or a month key's first day) of `calendar` names. */
export function gregorianDayOf(key: string, calendar: Calendar): string {
  const m = KEY.exec(key);
  if (!m) throw new Error(`"${key}" is not a YYYY-MM-DD day or YYYY-MM month`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  if (calendar === 'gregorian') return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  const { gy, gm, gd } = toGregorian(y, mo, d);
  return `${pad(gy, 4)}-${pad(gm)}-${pad(gd)}`;
}
