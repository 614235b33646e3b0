// KPI alerts: what moved on a campaign's day against the same weekday of the four weeks before. The settings and
// their definitions are written once here; docs/alerts.md shows the definitions word for word (a test checks).
import { z } from 'zod';

export const ALERT_KPIS = ['calls', 'answerRate', 'avgTalkSec'] as const;
export type AlertKpi = (typeof ALERT_KPIS)[number];

export const Alert = z.object({
  account: z.string(),
  campaign: z.string().nullable(),
  /** The day compared, YYYY-MM-DD in the account's zone. */
  day: z.string(),
  kpi: z.enum(ALERT_KPIS),
  value: z.number(),
  baseline: z.number(),
  direction: z.enum(['up', 'down']),
});
export type Alert = z.infer<typeof Alert>;

export interface AlertSettings {
  minCalls: number;
  confidence: number;
  robustZ: number;
  minRelativeChange: number;
  minRateChange: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  minCalls: 30,
  confidence: 0.999,
  robustZ: 3.5,
  minRelativeChange: 0.3,
  minRateChange: 0.05,
};

/** One definition per setting and rule, shown in docs/alerts.md; alerts.ts computes exactly these. */
export const ALERT_DEFINITIONS = {
  day: 'Day compared: the last complete day in the account\'s time zone (yesterday), or the day asked for; its baseline is the same weekday 7, 14, 21 and 28 days before.',
  calls: 'Calls: every cached call of the campaign that started that day.',
  answerRate: 'Answer rate: answered calls / calls of that day; the baseline pools the four baseline days (their answered calls / their calls).',
  avgTalkSec: 'Average talk time: billable seconds of answered calls / answered calls of that day; the baseline is the median of the four baseline days\' averages (at least three of them must have answered calls).',
  minCalls: 'Minimum calls (minCalls, default 30): no alert on calls unless the baseline median reaches it; on answer rate unless the day and the four baseline days together each reach it; on average talk time unless the day has that many answered calls.',
  confidence: 'Confidence for rates (confidence, default 0.999): the answer rate is flagged when a two-sided two-proportion z-test of the day against the pooled baseline rejects "same rate" at this confidence (|z| of 3.29 or more at 0.999).',
  robustZ: 'Robust z-score for volumes and averages (robustZ, default 3.5): (value - median of the four baselines) / (1.4826 x their median absolute deviation), the scale never below the chance spread of the value itself (the square root of the median for calls, the standard error of the day\'s average for talk time); flagged at 3.5 or more either way.',
  minRelativeChange: 'Minimum relative change for volumes and averages (minRelativeChange, default 0.3): the value must also differ from the baseline by at least 30% of it.',
  minRateChange: 'Minimum change of a rate (minRateChange, default 0.05): the answer rate must also differ from the baseline by at least 5 percentage points.',
} as const;
