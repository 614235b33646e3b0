// Instants shown as the wall time of one zone, fast enough for millions of cells. Intl (behind wallTimeAt and
// formatWall) costs microseconds per call; an export asks for three times per row, so the zone's offset is looked
// up once per UTC hour (with offsetMinutesAt from time/zone.ts) and reused. An hour that holds a transition is
// marked and resolved instant by instant, so DST changes at any minute (Lord Howe, old Tehran rules) stay exact.
import { offsetMinutesAt } from '../time/zone.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Days from Excel's day 0 (1899-12-30 in the 1900 date system) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

export class WallClock {
  readonly zone: string;
  private readonly hourOffsets = new Map<number, number>();

  constructor(zone: string) {
    this.zone = zone;
  }

  /** The wall reading at `epochMs`, whole seconds, expressed as if it were a UTC instant. */
  wallMs(epochMs: number): number {
    const hour = Math.floor(epochMs / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      const start = offsetMinutesAt(this.zone, hour * HOUR_MS);
      const end = offsetMinutesAt(this.zone, hour * HOUR_MS + HOUR_MS - 1);
      offset = start === end ? start : NaN; // NaN: a transition inside this hour
      if (this.hourOffsets.size > 200_000) this.hourOffsets.clear();
      this.hourOffsets.set(hour, offset);
    }
    if (Number.isNaN(offset)) offset = offsetMinutesAt(this.zone, epochMs);
    return Math.floor(epochMs / 1000) * 1000 + offset * 60_000;
  }

  /** 'YYYY-MM-DD HH:MM:SS', the same text as formatWall(zone, epochMs). */
  text(epochMs: number): string {
    const d = new Date(this.wallMs(epochMs));
    const y = d.getUTCFullYear();
    return `${y < 1000 ? String(y).padStart(4, '0') : y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }

  /** Excel serial date-time (1900 system) holding the wall time; valid from 1900-03-01 on. */
  excelSerial(epochMs: number): number {
    const wall = this.wallMs(epochMs);
    const days = Math.floor(wall / DAY_MS);
    // Whole days plus the fraction of the day, so the fraction is computed from an exact integer of seconds.
    return days + EXCEL_EPOCH_DAYS + (wall - days * DAY_MS) / DAY_MS;
  }
}
