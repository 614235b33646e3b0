// The two tests alerts use, on plain numbers: a two-proportion z-test for rates and a robust z-score (median and
// median absolute deviation) for volumes and averages. Pure functions, so noise can be simulated in bulk.
import type { AlertSettings } from '../../shared/alerts.ts';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The |z| a two-sided test at `confidence` needs (bisection on normalCdf). */
export function twoSidedCritical(confidence: number): number {
  const target = 1 - (1 - confidence) / 2;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** z of "rate 1 differs from rate 2", with the pooled rate's standard error; 0 when it cannot be told. */
export function twoProportionZ(hits1: number, n1: number, hits2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 0;
  const p = (hits1 + hits2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return se === 0 ? 0 : (hits1 / n1 - hits2 / n2) / se;
}

/** (value - median) / scale, the scale 1.4826 x MAD but never below `floor` (the value's own chance spread). */
export function robustZ(value: number, baselines: readonly number[], floor: number): number {
  const m = median(baselines);
  const mad = median(baselines.map((b) => Math.abs(b - m)));
  const scale = Math.max(1.4826 * mad, floor);
  return scale > 0 ? (value - m) / scale : 0;
}

export interface DayFigures {
  calls: number;
  answered: number;
  /** Billable seconds of the answered calls, and their squares (for the standard error of the average). */
  talk: number;
  talk2: number;
}

export type Verdict = { kpi: 'calls' | 'answerRate' | 'avgTalkSec'; value: number; baseline: number; direction: 'up' | 'down' };

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The KPIs of one campaign's day that moved, against its four baseline days (ALERT_DEFINITIONS, word for word). */
export function judgeDay(day: DayFigures, baselines: readonly DayFigures[], s: AlertSettings): Verdict[] {
  const out: Verdict[] = [];
  const direction = (v: number, b: number): Verdict['direction'] => (v >= b ? 'up' : 'down');
  const farEnough = (v: number, b: number) => Math.abs(v - b) >= s.minRelativeChange * Math.abs(b);

  const counts = baselines.map((b) => b.calls);
  const m = median(counts);
  if (m >= s.minCalls && farEnough(day.calls, m) && Math.abs(robustZ(day.calls, counts, Math.sqrt(m))) >= s.robustZ) {
    out.push({ kpi: 'calls', value: day.calls, baseline: m, direction: direction(day.calls, m) });
  }

  const baseCalls = baselines.reduce((a, b) => a + b.calls, 0);
  const baseAnswered = baselines.reduce((a, b) => a + b.answered, 0);
  if (day.calls >= s.minCalls && baseCalls >= s.minCalls) {
    const rate = day.answered / day.calls;
    const baseRate = baseAnswered / baseCalls;
    const z = twoProportionZ(day.answered, day.calls, baseAnswered, baseCalls);
    if (Math.abs(rate - baseRate) >= s.minRateChange && Math.abs(z) >= twoSidedCritical(s.confidence)) {
      out.push({ kpi: 'answerRate', value: round(rate, 4), baseline: round(baseRate, 4), direction: direction(rate, baseRate) });
    }
  }

  const averages = baselines.filter((b) => b.answered > 0).map((b) => b.talk / b.answered);
  if (day.answered >= s.minCalls && averages.length >= 3) {
    const avg = day.talk / day.answered;
    const variance = Math.max(0, day.talk2 / day.answered - avg * avg);
    const se = Math.sqrt(variance / day.answered);
    const b = median(averages);
    if (farEnough(avg, b) && Math.abs(robustZ(avg, averages, se)) >= s.robustZ) {
      out.push({ kpi: 'avgTalkSec', value: round(avg, 2), baseline: round(b, 2), direction: direction(avg, b) });
    }
  }
  return out;
}
