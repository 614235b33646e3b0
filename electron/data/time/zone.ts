// Wall-clock times in an IANA zone <-> UTC instants, with daylight-saving gaps and overlaps handled on purpose.
// Intl gives the zone's offset at an instant; we cache formatters per zone because creating them is slow, and the
// offset of each UTC day (else hour) that holds no change, because formatToParts costs microseconds and
// simulators, adapters and summaries ask millions of times: a first sync of a quiet account meets a new hour at
// nearly every call. A zone never changes its offset twice within a day (search/zone-offsets.ts relies on a week),
// so a day whose two ends agree holds no change.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone || typeof zone !== 'string') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/** The wall-clock reading in `zone` at `epochMs` straight from Intl (exact for any instant; slow). */
function intlWallTime(zone: string, epochMs: number): WallTime {
  const parts = formatterFor(zone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The zone's offset (ms, whole seconds: old local mean times are not whole minutes) at `epochMs`, from Intl. */
function intlOffsetMs(zone: string, epochMs: number): number {
  const wall = intlWallTime(zone, epochMs);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(epochMs / 1000) * 1000;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The cached range: years 1900-2199, where Date's UTC fields and Intl's numeric parts agree. */
const CACHE_FROM = Date.UTC(1900, 0, 1);
const CACHE_TO = Date.UTC(2200, 0, 1);
/** zone → UTC day → offset (ms), for days whose offset is the same at both ends; NaN marks a day that changes. */
const dayOffsets = new Map<string, Map<number, number>>();
/** The same per UTC hour, inside the days that change. */
const hourOffsets = new Map<string, Map<number, number>>();

/** The zone's offset over the span of `size` ms numbered `n`: its ends' offset when they agree, else NaN. */
function spanOffset(cache: Map<string, Map<number, number>>, zone: string, size: number, n: number): number {
  let spans = cache.get(zone);
  if (!spans) cache.set(zone, (spans = new Map()));
  let offset = spans.get(n);
  if (offset === undefined) {
    const start = intlOffsetMs(zone, n * size);
    offset = start === intlOffsetMs(zone, n * size + size - 1) ? start : NaN;
    if (spans.size > 200_000) spans.clear();
    spans.set(n, offset);
  }
  return offset;
}

/** The zone's offset (ms) at `epochMs`: cached per UTC day or hour, and from Intl in an hour that holds a change. */
export function offsetMsAt(zone: string, epochMs: number): number {
  if (!(epochMs >= CACHE_FROM && epochMs < CACHE_TO)) return intlOffsetMs(zone, epochMs);
  const day = spanOffset(dayOffsets, zone, DAY_MS, Math.floor(epochMs / DAY_MS));
  if (!Number.isNaN(day)) return day;
  const hour = spanOffset(hourOffsets, zone, HOUR_MS, Math.floor(epochMs / HOUR_MS));
  return Number.isNaN(hour) ? intlOffsetMs(zone, epochMs) : hour;
}

/** The zone's offset from UTC, in minutes, at the instant `epochMs`. */
export function offsetMinutesAt(zone: string, epochMs: number): number {
  return Math.round(offsetMsAt(zone, epochMs) / 60000);
}

/** The wall-clock reading in `zone` at the instant `epochMs` (milliseconds kept). */
export function wallTimeAt(zone: string, epochMs: number): WallTime {
  if (!(epochMs >= CACHE_FROM && epochMs < CACHE_TO)) return intlWallTime(zone, epochMs);
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offsetMsAt(zone, epochMs));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/**
 * 'earlier' / 'later' choose between the two instants of a repeated (overlap) hour; in a skipped (gap) hour the
 * wall time does not exist and is read with the offset from before the change, i.e. moved forward by the gap,
 * which is what a phone switch's clock that has not yet jumped would have meant.
 */
export type Disambiguation = 'earlier' | 'later';

/** zone → local day → the offset (minutes) of all its wall times, NaN for a day near a change. */
const steadyDays = new Map<string, Map<number, number>>();

/**
 * The offset (minutes) of every wall time on local day `day` (days of wall time read as UTC) when the zone keeps one
 * offset from the UTC day before it to the UTC day after: any instant that reads as that day lies in those three
 * (offsets are under a day), so each wall time is one instant at that offset. Else NaN.
 */
function steadyLocalDay(zone: string, day: number): number {
  let days = steadyDays.get(zone);
  if (!days) steadyDays.set(zone, (days = new Map()));
  let offset = days.get(day);
  if (offset === undefined) {
    const o = spanOffset(dayOffsets, zone, DAY_MS, day - 1);
    const steady = o === spanOffset(dayOffsets, zone, DAY_MS, day) && o === spanOffset(dayOffsets, zone, DAY_MS, day + 1);
    offset = steady ? Math.round(o / 60_000) : NaN; // NaN never equals: a changing day stays NaN
    if (days.size > 200_000) days.clear();
    days.set(day, offset);
  }
  return offset;
}

const offsetCache = new Map<string, number>();

/** Candidate offsets around a wall time: the zone's offsets a day either side cover any single transition. */
export function zonedToEpochMs(zone: string, wall: WallTime, disambiguation: Disambiguation = 'earlier'): number {
  const localAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
  if (localAsUtc >= CACHE_FROM + 2 * DAY_MS && localAsUtc < CACHE_TO - 2 * DAY_MS) {
    const steady = steadyLocalDay(zone, Math.floor(localAsUtc / DAY_MS));
    if (!Number.isNaN(steady)) return localAsUtc - steady * 60_000;
  }
  // Near a change: one cached offset per zone and hour, verified (a wrong guess near a transition falls through).
  const hourKey = `${zone}|${Math.floor(localAsUtc / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return localAsUtc - cached * 60_000;

  const before = offsetMinutesAt(zone, localAsUtc - 86_400_000);
  const after = offsetMinutesAt(zone, localAsUtc + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((off) => localAsUtc - off * 60_000)
    .filter((t) => offsetMinutesAt(zone, t) * 60_000 === localAsUtc - t)
    .sort((a, b) => a - b);
  let result: number;
  if (candidates.length === 0) {
    result = localAsUtc - before * 60_000; // gap: keep the pre-transition offset
  } else if (candidates.length === 1) {
    result = candidates[0]!;
    // Only an unambiguous, existing hour may be cached.
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(hourKey, (localAsUtc - result) / 60_000);
  } else {
    result = disambiguation === 'earlier' ? candidates[0]! : candidates[candidates.length - 1]!;
  }
  return result;
}

/** ISO 8601 UTC text for an epoch-ms instant: seconds always, milliseconds only when not zero. */
export function toIsoUtc(epochMs: number | null): string | null {
  if (epochMs === null) return null;
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, 19) + 'Z' : iso;
}

/** 'YYYY-MM-DD HH:MM:SS' in `zone` (exports and display). */
export function formatWall(zone: string, epochMs: number): string {
  const w = wallTimeAt(zone, epochMs);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}

/** The machine's zone, for defaults. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
