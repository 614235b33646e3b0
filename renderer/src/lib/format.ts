// Every date, number and duration the user sees goes through Intl for the chosen locale. Formatters are cached
// because building one costs far more than using it, and the call table formats thousands of cells a second.
import { gregorianDayOf, type Calendar, type Period } from '../../../electron/shared/calendar.ts';
import { settings, type Locale } from './settings.svelte.ts';

/** The BCP 47 tag per app language; Persian asks for the Solar Hijri (Jalali) calendar explicitly. */
const INTL_TAGS: Record<Locale, string> = {
  en: 'en-GB',
  vi: 'vi-VN',
  fa: 'fa-IR-u-ca-persian',
  ro: 'ro-RO',
};

export function intlTag(locale: Locale = settings.language): string {
  return INTL_TAGS[locale];
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `d|${settings.language}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(intlTag(), { ...options, ...(timeZone ? { timeZone } : {}) });
    cache.set(key, f);
  }
  return f;
}

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${settings.language}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(intlTag(), options);
    cache.set(key, f);
  }
  return f;
}

/** The zone times are shown in: the user's choice (Settings), else this computer's zone. */
export function displayZone(): string | undefined {
  return settings.displayZone ?? undefined;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat({ dateStyle: 'short', timeStyle: 'medium' }, displayZone()).format(d);
}

export function formatDate(iso: string | Date, zone?: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return dateFormat({ dateStyle: 'medium' }, zone).format(d);
}

/** A calendar day key (YYYY-MM-DD, Gregorian, as the summary module returns it) shown in the user's calendar. */
export function formatDayKey(day: string): string {
  // Noon UTC keeps the same calendar day in every zone we could format in.
  return dateFormat({ dateStyle: 'medium', timeZone: 'UTC' }, 'UTC').format(new Date(`${day}T12:00:00Z`));
}

export function formatNumber(n: number | null | undefined, fractionDigits = 0): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return numberFormat({ maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 }).format(n);
}

/** An amount in a currency with the currency's own decimals, more (up to 4) where the amount has them. */
export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount == null || !Number.isFinite(amount)) return '—';
  if (!currency) return formatNumber(amount, 4);
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().minimumFractionDigits ?? 2;
  return numberFormat({ style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 4) }).format(amount);
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  return numberFormat({ style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Seconds as h:mm:ss / m:ss with locale digits. */
export function formatDuration(sec: number | null | undefined): string {
  if (sec == null || !Number.isFinite(sec)) return '';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const two = (x: number) => numberFormat({ minimumIntegerDigits: 2, useGrouping: false }).format(x);
  const one = (x: number) => numberFormat({ useGrouping: false }).format(x);
  return h > 0 ? `${one(h)}:${two(m)}:${two(r)}` : `${one(m)}:${two(r)}`;
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  // A server clock a moment ahead of ours should not read "in 1 second".
  const diffSec = Math.min(0, (new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(intlTag(), { numeric: 'auto' });
  const abs = Math.abs(diffSec);
  if (abs < 60) return rtf.format(Math.round(diffSec), 'second');
  if (abs < 3600) return rtf.format(Math.round(diffSec / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diffSec / 3600), 'hour');
  return rtf.format(Math.round(diffSec / 86400), 'day');
}

/** Weekday names, Monday first, in the chosen language. */
export function weekdayNames(): string[] {
  const f = dateFormat({ weekday: 'short', timeZone: 'UTC' }, 'UTC');
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i, 12))));
}

export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** The calendar of the UI language: the Persian UI counts days, weeks (from Saturday) and months in Solar Hijri. */
export function uiCalendar(locale: Locale = settings.language): Calendar {
  return locale === 'fa' ? 'persian' : 'gregorian';
}

/** A summary's day, week (its first day) or month key, written in `calendar`, shown in the user's calendar. */
export function formatPeriodKey(key: string, period: Period, calendar: Calendar): string {
  const day = gregorianDayOf(key, calendar);
  if (period !== 'month') return formatDayKey(day);
  return dateFormat({ year: 'numeric', month: 'long', timeZone: 'UTC' }, 'UTC').format(new Date(`${day}T12:00:00Z`));
}
