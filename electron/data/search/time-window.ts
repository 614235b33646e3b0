// Time windows for search and summaries: `from`/`to` as a date, a local date-time (read in a zone chosen per
// account) or an ISO instant with Z/offset. A bare date as `to` includes that whole day; a date-time as `to`
// includes that whole second. The end is kept exclusive so windows compare as [from, to).
import { UserError } from '../errors.ts';
import { parseNaiveDateTime, parseOffsetDateTime } from '../time/parse.ts';
import { zonedToEpochMs } from '../time/zone.ts';
import { foldText } from './normalize.ts';

/** Either a fixed instant, or a wall-clock reading (as Date.UTC of its fields) still to be read in a zone. */
export type TimeBound = { kind: 'instant'; ms: number } | { kind: 'wall'; wallMs: number };

export interface TimeWindow {
  from: TimeBound | null;
  /** Exclusive end. */
  to: TimeBound | null;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function shift(b: TimeBound, ms: number): TimeBound {
  return b.kind === 'instant' ? { kind: 'instant', ms: b.ms + ms } : { kind: 'wall', wallMs: b.wallMs + ms };
}

/** Parses one end of a window; `edge` decides what a bare date means (its start, or the start of the next day). */
export function parseTimeBound(input: string, edge: 'from' | 'to'): TimeBound {
  // Persian/Arabic-Indic digits are accepted as typed.
  const text = foldText(input).trim().toUpperCase();
  const fail = () =>
    new UserError(`--${edge} "${input}" is not a date (YYYY-MM-DD), a local date-time (YYYY-MM-DD HH:MM[:SS]) or an ISO instant with Z or an offset`);
  const date = DATE_RE.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const wallMs = Date.UTC(y, m - 1, d);
    if (new Date(wallMs).getUTCDate() !== d || m < 1 || m > 12) throw fail();
    return edge === 'from' ? { kind: 'wall', wallMs } : { kind: 'wall', wallMs: wallMs + DAY_MS };
  }
  let bound: TimeBound;
  try {
    if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) bound = { kind: 'instant', ms: parseOffsetDateTime(text)! };
    else bound = { kind: 'wall', wallMs: parseNaiveDateTime(text, 'UTC')! }; // UTC: the wall reading itself
  } catch {
    throw fail();
  }
  if (!Number.isFinite(bound.kind === 'instant' ? bound.ms : bound.wallMs)) throw fail();
  if (edge === 'from') return bound;
  // An end without fractions covers its whole second.
  return shift(bound, /\.\d+/.test(text) ? 1 : 1000);
}

export function parseTimeWindow(from: string | undefined, to: string | undefined): TimeWindow {
  const w: TimeWindow = {
    from: from?.trim() ? parseTimeBound(from, 'from') : null,
    to: to?.trim() ? parseTimeBound(to, 'to') : null,
  };
  if (w.from && w.to && w.from.kind === w.to.kind) {
    const a = w.from.kind === 'instant' ? w.from.ms : w.from.wallMs;
    const b = w.to.kind === 'instant' ? w.to.ms : w.to.wallMs;
    if (a >= b) throw new UserError(`--from "${from}" is not before --to "${to}"`);
  }
  return w;
}

export function boundToMs(b: TimeBound, zone: string): number {
  if (b.kind === 'instant') return b.ms;
  const d = new Date(b.wallMs);
  return zonedToEpochMs(zone, {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
  });
}

/** The window as epoch ms [from, to) in one zone; throws when it is empty there (mixed wall/instant ends). */
export function resolveWindow(w: TimeWindow, zone: string): { from: number | null; to: number | null } {
  const from = w.from ? boundToMs(w.from, zone) : null;
  const to = w.to ? boundToMs(w.to, zone) : null;
  if (from !== null && to !== null && from >= to) {
    throw new UserError(`the time window is empty in ${zone}: its start is not before its end`);
  }
  return { from, to };
}

/** The window of the same length just before `w` (both ends must be of one kind). */
export function previousWindow(w: TimeWindow): TimeWindow {
  if (!w.from || !w.to) throw new UserError('comparing periods needs both --from and --to');
  if (w.from.kind !== w.to.kind) {
    throw new UserError('comparing periods needs --from and --to of one kind (both local, or both ISO instants)');
  }
  const len = w.to.kind === 'instant' ? w.to.ms - (w.from as { ms: number }).ms : w.to.wallMs - (w.from as { wallMs: number }).wallMs;
  return { from: shift(w.from, -len), to: w.from };
}
