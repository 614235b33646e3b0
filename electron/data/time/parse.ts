// Parsers for the naive local time formats providers send. Each returns epoch ms read in the account's zone,
// null for an empty value, and throws on text that is not a time (callers name the account and field).
import { zonedToEpochMs, type Disambiguation } from './zone.ts';

export class TimeFormatError extends Error {}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

function checkRanges(mo: number, d: number, h: number, mi: number, s: number, text: string): void {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw new TimeFormatError(`"${text}" is not a valid time`);
}

/** 'YYYY-MM-DD HH:MM[:SS[.ffffff]]' as a wall time in `zone`. */
export function parseNaiveDateTime(text: string | null | undefined, zone: string, disambiguation: Disambiguation = 'earlier'): number | null {
  if (text === null || text === undefined) return null;
  const t = String(text).trim();
  if (t === '' || t.startsWith('0000-00-00')) return null;
  const m = NAIVE.exec(t);
  if (!m) throw new TimeFormatError(`"${t}" is not a YYYY-MM-DD HH:MM:SS time`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  checkRanges(month, day, hour, minute, second, t);
  // Days 1-28 are in every month: only a later day is checked against its month (Date moves Feb 30 to Mar 1).
  if (day > 28 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) throw new TimeFormatError(`"${t}" is not a valid date`);
  const ms = zonedToEpochMs(zone, { year, month, day, hour, minute, second, millisecond }, disambiguation);
  return ms;
}

/** ISO 8601 with an explicit offset or Z (e.g. 2023-03-07T13:34:21.310357+07:00). */
export function parseOffsetDateTime(text: string | null | undefined): number | null {
  if (text === null || text === undefined || String(text).trim() === '') return null;
  const t = String(text).trim();
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(t);
  if (!m) throw new TimeFormatError(`"${t}" is not an ISO 8601 time with an offset`);
  const frac = m[2] ? m[2].slice(0, 4) : '';
  const ms = Date.parse(`${m[1]}${frac}${m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3]}`);
  if (Number.isNaN(ms)) throw new TimeFormatError(`"${t}" is not a valid time`);
  return ms;
}

/** ~31 years: past it a duration is a corrupt field, and the end instant built from it would overflow. */
const MAX_DURATION_SEC = 1e9;

/** 'HH:MM:SS' (hours may exceed 24) or a plain number of seconds, as whole seconds. */
export function parseDurationSec(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value > MAX_DURATION_SEC) throw new TimeFormatError(`${value} is not a duration`);
    return Math.round(value);
  }
  const t = String(value).trim();
  let sec: number;
  if (/^\d+(\.\d+)?$/.test(t)) sec = Math.round(Number(t));
  else {
    const m = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(t);
    if (!m) throw new TimeFormatError(`"${t}" is not a duration (HH:MM:SS or seconds)`);
    sec = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  if (sec > MAX_DURATION_SEC) throw new TimeFormatError(`"${t}" is longer than any call could last`);
  return sec;
}
