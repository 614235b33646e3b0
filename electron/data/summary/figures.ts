// The published KPIs of a group of calls, from its raw sums, exactly as SUMMARY_DEFINITIONS words them
// (electron/shared/search.ts). Every summary (groups, comparison, provider report) ends here.
import { CALL_STATUSES, type CallStatus } from '../../shared/cdr.ts';
import type { CostFigures, SummaryFigures } from '../../shared/search.ts';
import { amountNumber, ratio } from '../costs/money.ts';

/** Raw sums of one group; figures() turns them into the published KPIs. */
export interface Sums {
  total: number;
  counts: Record<CallStatus, number>;
  talkSec: number;
  billSec: number;
  waitSec: number;
  waitCalls: number;
  /** Cost of the priced calls (units of 1/10,000) and how many were priced. */
  cost: number;
  costCalls: number;
}

export const AGGREGATES = [
  'count(*) AS total',
  ...CALL_STATUSES.map((s) => `sum(status = '${s}') AS "${s}"`),
  "coalesce(sum(CASE WHEN status = 'answered' THEN bill_sec END), 0) AS talk_sec",
  'coalesce(sum(bill_sec), 0) AS bill_sec',
  'coalesce(sum(wait_sec), 0) AS wait_sec',
  'count(wait_sec) AS wait_calls',
].join(', ');

export type AggRow = Record<string, number | string | null>;

export function sumsOf(r: AggRow | undefined): Sums {
  const counts = Object.fromEntries(CALL_STATUSES.map((s) => [s, Number(r?.[s] ?? 0)])) as Record<CallStatus, number>;
  return {
    total: Number(r?.total ?? 0), counts, talkSec: Number(r?.talk_sec ?? 0), billSec: Number(r?.bill_sec ?? 0),
    waitSec: Number(r?.wait_sec ?? 0), waitCalls: Number(r?.wait_calls ?? 0), cost: 0, costCalls: 0,
  };
}

export function addSums(a: Sums, b: Sums): Sums {
  const counts = Object.fromEntries(CALL_STATUSES.map((s) => [s, a.counts[s] + b.counts[s]])) as Record<CallStatus, number>;
  return {
    total: a.total + b.total, counts, talkSec: a.talkSec + b.talkSec, billSec: a.billSec + b.billSec,
    waitSec: a.waitSec + b.waitSec, waitCalls: a.waitCalls + b.waitCalls, cost: a.cost + b.cost, costCalls: a.costCalls + b.costCalls,
  };
}

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The KPIs, exactly as SUMMARY_DEFINITIONS words them; never NaN. */
export function figures(s: Sums): SummaryFigures {
  const answered = s.counts.answered;
  return {
    total: s.total,
    ...s.counts,
    answerRate: s.total ? round(answered / s.total, 4) : 0,
    avgTalkSec: answered ? round(s.talkSec / answered, 2) : 0,
    billSec: s.billSec,
    billMinutes: round(s.billSec / 60, 2),
    avgWaitSec: s.waitCalls ? round(s.waitSec / s.waitCalls, 2) : null,
  };
}

export const ZERO: SummaryFigures = figures(sumsOf(undefined));

/** The cost figures of a group in one currency (null currency: no rate card), as COST_DEFINITIONS words them. */
export function costFigures(s: Sums, currency: string | null): CostFigures {
  const priced = currency !== null;
  return {
    currency,
    cost: priced ? amountNumber(s.cost) : null,
    costPerAnswered: priced ? ratio(s.cost, s.counts.answered) : null,
    costPerMinute: priced ? ratio(s.cost * 60, s.billSec) : null,
    unpricedCalls: s.total - s.costCalls,
  };
}
