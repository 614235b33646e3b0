// Solar Hijri (Jalali) calendar wall times <-> UTC instants. The Iranian autodialer (autodialer-v4) writes record
// dates such as "1399-11-21 15:10:04" as Jalali dates with a Tehran wall-clock time; the calendar conversion is
// jalaali-js, the zone arithmetic (Tehran kept daylight saving until 2022) is zone.ts.
import { isValidJalaaliDate, toGregorian, toJalaali } from 'jalaali-js';
import { TimeFormatError } from './parse.ts';
import { offsetMinutesAt, zonedToEpochMs, type Disambiguation } from './zone.ts';

const JALALI = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII: some Iranian systems print dates in either. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

/**
 * 'YYYY-MM-DD[ HH:MM[:SS]]' in the Jalali calendar, as a wall time in `zone` → epoch ms. Null for ""/null;
 * throws TimeFormatError on text that is not a valid Jalali date-time.
 */
export function parseJalaliDateTime(text: string | null | undefined, zone: string, disambiguation: Disambiguation = 'earlier'): number | null {
  if (text === null || text === undefined) return null;
  const t = asciiDigits(String(text).trim());
  if (t === '' || t.startsWith('0000')) return null;
  const m = JALALI.exec(t);
  if (!m) throw new TimeFormatError(`"${t}" is not a Jalali YYYY-MM-DD HH:MM:SS time`);
  const [jy, jm, jd] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (!isValidJalaaliDate(jy, jm, jd)) throw new TimeFormatError(`"${t}" is not a valid Jalali date`);
  if (hour > 23 || minute > 59 || second > 59) throw new TimeFormatError(`"${t}" is not a valid time`);
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return zonedToEpochMs(zone, { year: gy, month: gm, day: gd, hour, minute, second, millisecond }, disambiguation);
}

const offsets = new Map<string, number>();

/** The Jalali wall time of an instant in `zone`, as 'YYYY-MM-DD HH:MM:SS' (ASCII digits). */
export function formatJalali(zone: string, epochMs: number): string {
  // One offset lookup per zone and UTC hour; an hour in which the offset changes (Tehran's clocks moved at 20:30
  // UTC) is marked and read exactly at the instant.
  const h = Math.floor(epochMs / 3_600_000);
  const key = `${zone}|${h}`;
  let off = offsets.get(key);
  if (off === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    const a = offsetMinutesAt(zone, h * 3_600_000);
    offsets.set(key, (off = a === offsetMinutesAt(zone, h * 3_600_000 + 3_599_999) ? a : NaN));
  }
  if (Number.isNaN(off)) off = offsetMinutesAt(zone, epochMs);
  const d = new Date(epochMs + off * 60_000);
  const { jy, jm, jd } = toJalaali(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(jy, 4)}-${p(jm)}-${p(jd)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
