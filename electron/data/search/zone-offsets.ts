// Local wall time of each row inside SQL, for day/hour buckets in a zone, correct across daylight-saving
// changes: the zone's offsets over the data's time span are found once in JS (a handful of transitions a year)
// and inlined as a CASE over the instant, so SQLite computes buckets without calling back into JS per row.
import { offsetMsAt } from '../time/zone.ts';

const STEP_MS = 7 * 86_400_000; // zones change offset at most a few times a year, never twice in a week

export interface OffsetSpan {
  /** Exclusive end of this span (epoch ms), null for the last one. */
  until: number | null;
  offsetMs: number;
}

// Whole seconds, not minutes: a local mean time (Bucharest +1:44:24 until 1931) rounded to the minute would put
// the calls of its last seconds before midnight into the next day.
const offsetMs = offsetMsAt;

/** The zone's offsets between two instants, with the exact instants at which they change. */
export function offsetSpans(zone: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let t = fromMs - STEP_MS;
  let current = offsetMs(zone, t);
  while (t < toMs + STEP_MS) {
    const next = t + STEP_MS;
    const o = offsetMs(zone, next);
    if (o !== current) {
      let lo = t; // offset(lo) = current, offset(hi) != current: narrow to the second
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMs(zone, mid) === current) lo = mid;
        else hi = mid;
      }
      spans.push({ until: hi, offsetMs: current });
      current = offsetMs(zone, hi);
    }
    t = next;
  }
  spans.push({ until: null, offsetMs: current });
  return spans;
}

/** SQL for the zone offset (ms) at the instant in `column`; numbers only, no user text. */
export function offsetSql(column: string, zone: string, fromMs: number, toMs: number): string {
  const spans = offsetSpans(zone, fromMs, toMs);
  if (spans.length === 1) return String(spans[0]!.offsetMs);
  const whens = spans.slice(0, -1).map((s) => `WHEN ${column} < ${s.until} THEN ${s.offsetMs}`);
  return `(CASE ${whens.join(' ')} ELSE ${spans[spans.length - 1]!.offsetMs} END)`;
}

/**
 * SQL for the local wall time (as epoch ms of the wall reading) of `column`: in one zone, or in each account's
 * own zone (zonesByAccount: zone → account ids).
 */
export function localTimeSql(column: string, zones: Map<string, number[]>, fromMs: number, toMs: number): string {
  const entries = [...zones.entries()];
  if (entries.length === 0) return column;
  if (entries.length === 1) return `(${column} + ${offsetSql(column, entries[0]![0], fromMs, toMs)})`;
  const cases = entries
    .slice(0, -1)
    .map(([zone, ids]) => `WHEN account_id IN (${ids.map(Number).join(',')}) THEN ${offsetSql(column, zone, fromMs, toMs)}`);
  return `(${column} + CASE ${cases.join(' ')} ELSE ${offsetSql(column, entries[entries.length - 1]![0], fromMs, toMs)} END)`;
}
