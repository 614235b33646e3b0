// Wall-clock times in an IANA zone <-> UTC instants, with daylight-saving gaps and overlaps handled on purpose.
// Intl gives the zone's offset at an instant; we cache formatters per zone because creating them is slow.

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

/** The zone's offset from UTC, in minutes, at the instant `epochMs`. */
export function offsetMinutesAt(zone: string, epochMs: number): number {
  const wall = wallTimeAt(zone, epochMs);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** The wall-clock reading in `zone` at the instant `epochMs` (milliseconds kept). */
export function wallTimeAt(zone: string, epochMs: number): WallTime {
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

/**
 * 'earlier' / 'later' choose between the two instants of a repeated (overlap) hour; in a skipped (gap) hour the
 * wall time does not exist and is read with the offset from before the change, i.e. moved forward by the gap,
 * which is what a phone switch's clock that has not yet jumped would have meant.
 */
export type Disambiguation = 'earlier' | 'later';

const offsetCache = new Map<string, number>();

/** Candidate offsets around a wall time: the zone's offsets a day either side cover any single transition. */
export function zonedToEpochMs(zone: string, wall: WallTime, disambiguation: Disambiguation = 'earlier'): number {
  const localAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
  // Fast path: one cached offset per zone and hour, verified (a wrong guess near a transition falls through).
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
