// The "Summary" sheet of an XLSX export: the campaign summary (summarize, the same KPIs as
// `cdr-desk summary --by campaign`) of the rows the export holds. Headers are the KPI names of
// SUMMARY_DEFINITIONS, so the sheet, docs/summaries.md and the app's tooltips say the same thing.
import { CALL_STATUSES } from '../../shared/cdr.ts';
import { SUMMARY_DEFINITIONS, type CostFigures, type SummaryRow } from '../../shared/search.ts';
import type { SheetTable } from './xlsx.ts';

export const SUMMARY_SHEET = 'Summary';
export const NO_CAMPAIGN = '(no campaign)';

type Kpi = keyof typeof SUMMARY_DEFINITIONS;
type Kind = SheetTable['columns'][number]['kind'];

const KPIS: { key: Kpi; kind: Kind; unit?: string }[] = [
  { key: 'total', kind: 'number' },
  ...CALL_STATUSES.map((s) => ({ key: s, kind: 'number' as const })),
  { key: 'answerRate', kind: 'percent' },
  { key: 'avgTalkSec', kind: 'decimal', unit: ' (s)' },
  { key: 'billSec', kind: 'number' },
  { key: 'billMinutes', kind: 'decimal' },
  { key: 'avgWaitSec', kind: 'decimal', unit: ' (s)' },
];

/** Cost columns after the KPIs (COST_DEFINITIONS, docs/costs.md); empty where the account has no rate card. */
const COSTS: { key: keyof CostFigures; header: string; kind: Kind }[] = [
  { key: 'cost', header: 'Cost', kind: 'money' },
  { key: 'costPerAnswered', header: 'Cost per answered call', kind: 'money' },
  { key: 'costPerMinute', header: 'Cost per billable minute', kind: 'money' },
  { key: 'currency', header: 'Currency', kind: 'text' },
];

/** "Answer rate = answered calls / ..." → "Answer rate". */
const kpiName = (k: Kpi) => SUMMARY_DEFINITIONS[k].split(/[:=]/)[0]!.trim();

export function summaryTable(rows: readonly SummaryRow[]): SheetTable {
  return {
    name: SUMMARY_SHEET,
    columns: [
      { header: 'Campaign', width: 30, kind: 'text' },
      ...KPIS.map((k) => {
        const header = kpiName(k.key) + (k.unit ?? '');
        return { header, width: Math.max(10, header.length + 3), kind: k.kind };
      }),
      ...COSTS.map((c) => ({ header: c.header, width: Math.max(10, c.header.length + 3), kind: c.kind })),
    ],
    rows: rows.map((r) => [r.key ?? NO_CAMPAIGN, ...KPIS.map((k) => r[k.key]), ...COSTS.map((c) => r[c.key])]),
  };
}
