// A period against the one of the same length just before it, with deltas.
import type { SearchFilter } from '../../shared/filter.ts';
import type { CompareResponse, CompareRow, SummaryBy, SummaryFigures } from '../../shared/search.ts';
import { UserError } from '../errors.ts';
import { compileFilterDetail, hostDb, type FilterHost } from '../search/filter.ts';
import { parseTimeWindow, previousWindow, resolveWindow, type TimeWindow } from '../search/time-window.ts';
import { inOneSnapshot } from './index-prefixes.ts';
import { toIsoUtc } from '../time/zone.ts';
import { type Sums, sumsOf, addSums, round, figures, ZERO } from './figures.ts';
import { checkBy, checkTz, groupSums } from './groups.ts';

function delta(cur: SummaryFigures, prev: SummaryFigures): CompareRow['delta'] {
  return {
    total: cur.total - prev.total,
    answered: cur.answered - prev.answered,
    answerRate: round(cur.answerRate - prev.answerRate, 4),
    avgTalkSec: round(cur.avgTalkSec - prev.avgTalkSec, 2),
    billSec: cur.billSec - prev.billSec,
  };
}

function windowIso(w: TimeWindow, zone: string): { from: string; to: string } {
  const r = resolveWindow(w, zone);
  return { from: toIsoUtc(r.from)!, to: toIsoUtc(r.to)! };
}

/** This period (filter.from..filter.to) against the one of the same length just before it, with deltas. */
export function comparePeriods(
  ws: FilterHost,
  opts: { filter: SearchFilter; by?: Exclude<SummaryBy, 'day' | 'week' | 'month'>; tz?: string },
): CompareResponse {
  const by = checkBy(opts.by ?? 'campaign');
  if (by === 'day' || by === 'week' || by === 'month') {
    throw new UserError(`periods cannot be compared by ${by} (their ${by}s differ); use campaign, hour, status, agent or account`);
  }
  const window = parseTimeWindow(opts.filter.from, opts.filter.to);
  const before = previousWindow(window);
  // Compiled inside the snapshot it runs in: the search tail's test is added only if that snapshot has a tail.
  const { cur, tz, a, b } = inOneSnapshot(hostDb(ws), () => {
    const cur = compileFilterDetail(ws, opts.filter, { window });
    const prev = compileFilterDetail(ws, opts.filter, { window: before });
    const tz = checkTz(opts.tz) ?? cur.filter.tz;
    return { cur, tz, a: groupSums(ws, cur, by, tz), b: groupSums(ws, prev, by, tz) };
  });
  const row = (key: string | null, x: Sums | undefined, y: Sums | undefined): CompareRow => {
    const current = x ? figures(x) : ZERO;
    const previous = y ? figures(y) : ZERO;
    return { key, current, previous, delta: delta(current, previous) };
  };
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const total = (m: Map<string | null, Sums>) => [...m.values()].reduce(addSums, sumsOf(undefined));
  const zone = tz ?? cur.accounts[0]?.timezone ?? 'UTC';
  const rows = keys.map((k) => row(k, a.get(k), b.get(k)));
  rows.sort((x, y) => y.current.total - x.current.total || y.previous.total - x.previous.total);
  return {
    current: windowIso(window, zone),
    previous: windowIso(before, zone),
    overall: row(null, total(a), total(b)),
    rows,
  };
}
