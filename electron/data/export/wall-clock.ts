// Instants shown as the wall time of one zone, fast enough for millions of cells: the offset comes from
// offsetMinutesAt (time/zone.ts caches it per UTC hour and asks Intl instant by instant only in an hour that holds
// a change, so DST changes at any minute stay exact); date texts are built once per day, times once per second.
import { offsetMinutesAt } from '../time/zone.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Days from Excel's day 0 (1899-12-30 in the 1900 date system) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);
// Sized up front: an array filled at scattered indexes from empty turns into a slow dictionary in V8.
/** 'HH:MM:SS' for each second of a day, made on first use. */
const TIME_TEXTS = new Array<string>(86_400);
/** '.5' for second 43,200 of a day: the day's fraction as text, made once per second of the day. */
const DAY_FRACTIONS = new Array<string>(86_400);

export class WallClock {
  readonly zone: string;
  private readonly dateTexts = new Map<number, string>();
  // The last wall day written: rows come in time order, so nearly every row skips the map.
  private lastWallDay = NaN;
  private lastDateText = '';

  constructor(zone: string) {
    this.zone = zone;
  }

  // The offset of the last UTC hour read, when it holds no change: a row's three times nearly always share it.
  // Not a second cache (zone.ts keeps the only one), one entry in front of it: its two map lookups per cell were
  // almost half of text()'s cost, about 0.3 CPU-seconds per million rows.
  private hour = NaN;
  private hourOffsetMs = 0;

  /** The wall reading at `epochMs`, whole seconds, expressed as if it were a UTC instant. */
  wallMs(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR_MS);
    if (hour !== this.hour) {
      const start = offsetMinutesAt(this.zone, hour * HOUR_MS);
      if (start !== offsetMinutesAt(this.zone, hour * HOUR_MS + HOUR_MS - 1)) {
        return Math.floor(epochMs / 1000) * 1000 + offsetMinutesAt(this.zone, epochMs) * 60_000;
      }
      this.hour = hour;
      this.hourOffsetMs = start * 60_000;
    }
    return Math.floor(epochMs / 1000) * 1000 + this.hourOffsetMs;
  }

  /** 'YYYY-MM-DD HH:MM:SS', the same text as formatWall(zone, epochMs). */
  text(epochMs: number): string {
    const wall = this.wallMs(epochMs);
    const day = Math.floor(wall / DAY_MS);
    if (day === this.lastWallDay) return this.lastDateText + this.timeText(wall - day * DAY_MS);
    let date = this.dateTexts.get(day);
    if (date === undefined) {
      const d = new Date(day * DAY_MS);
      const y = d.getUTCFullYear();
      date = `${y < 1000 ? String(y).padStart(4, '0') : y}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]} `;
      if (this.dateTexts.size > 100_000) this.dateTexts.clear();
      this.dateTexts.set(day, date);
    }
    this.lastWallDay = day;
    this.lastDateText = date;
    return date + this.timeText(wall - day * DAY_MS);
  }

  /** 'HH:MM:SS' of a time of day in whole seconds (ms), made once per second of the day. */
  private timeText(ms: number): string {
    // A small integer (ms is whole seconds), so the table is indexed as an array, not by a float key.
    const s = (ms / 1000) | 0;
    return (TIME_TEXTS[s] ??= TWO_DIGITS[Math.floor(s / 3600)]! + ':' + TWO_DIGITS[Math.floor(s / 60) % 60]! + ':' + TWO_DIGITS[s % 60]!);
  }

  /**
   * excelSerial as text for a cell, without formatting a number per cell: whole days, then the fraction of the
   * day as String(seconds / 86400) writes it. Reads back as the same second (readers round to milliseconds).
   */
  excelSerialText(epochMs: number): string {
    const wall = this.wallMs(epochMs);
    const days = Math.floor(wall / DAY_MS);
    const seconds = (wall - days * DAY_MS) / 1000;
    return days + EXCEL_EPOCH_DAYS + (DAY_FRACTIONS[seconds] ??= seconds === 0 ? '' : String(seconds / 86_400).slice(1));
  }

  /** Excel serial date-time (1900 system) holding the wall time; valid from 1900-03-01 on. */
  excelSerial(epochMs: number): number {
    const wall = this.wallMs(epochMs);
    const days = Math.floor(wall / DAY_MS);
    // Whole days plus the fraction of the day, so the fraction is computed from an exact integer of seconds.
    return days + EXCEL_EPOCH_DAYS + (wall - days * DAY_MS) / DAY_MS;
  }
}
