// `cdr-desk summary`: campaign KPIs from the cache, or the provider's own campaign report beside ours.
import { SUMMARY_GROUPINGS, type SummaryRow } from '../../shared/search.ts';
import type { SummaryBy } from '../../shared/search.ts';
import { getSavedSearch } from '../../data/search/saved.ts';
import { providerReported, summarize } from '../../data/summary/summary.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filterFromOptions, parseOptions } from './search.ts';

const USAGE = `cdr-desk summary [--by ${SUMMARY_GROUPINGS.join('|')}] ${FILTER_USAGE} [--saved NAME] [--tz IANA]
       [--calendar gregorian|persian] [--json]
       cdr-desk summary --account NAME --provider-reported [--json]

  key: the campaign, the day YYYY-MM-DD, the week's first day, the month YYYY-MM (in --calendar: gregorian, weeks
  from Monday, or persian: Solar Hijri, weeks from Saturday), the hour 00..23 (days and hours in --tz, else each
  account's zone), the status, the agent or the account. answerRate = answered / total; avgTalkSec = billable seconds of answered calls / answered calls.
  cost, costPerAnswered, costPerMinute: in the account's currency from its rate card (docs/costs.md), null without
  one; a key whose calls are in several currencies gives one row per currency, never a sum across them.
  --provider-reported prints the provider's own campaign report as last synced (tel4vn-v3) beside our figures.`;

const fmt = (n: number | null) => (n === null ? '-' : String(n));

function printTable(ctx: CommandContext, rows: SummaryRow[]): void {
  // Cost columns once some row has a rate card (docs/costs.md): one row per key and currency.
  const priced = rows.some((r) => r.currency !== null);
  const head = ['key', 'total', 'answered', 'no_answer', 'busy', 'failed', 'answerRate', 'avgTalkSec', 'billSec', 'billMinutes', 'avgWaitSec',
    ...(priced ? ['cost', 'currency', 'costPerAnswered', 'costPerMinute', 'unpricedCalls'] : [])];
  ctx.io.stdout(head.join('\t') + '\n');
  for (const r of rows) {
    ctx.io.stdout(
      [r.key ?? '(none)', r.total, r.answered, r.no_answer, r.busy, r.failed, `${(r.answerRate * 100).toFixed(1)}%`, r.avgTalkSec,
        r.billSec, r.billMinutes, fmt(r.avgWaitSec),
        ...(priced ? [fmt(r.cost), r.currency ?? '-', fmt(r.costPerAnswered), fmt(r.costPerMinute), r.unpricedCalls] : [])].join('\t') + '\n',
    );
  }
}

async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...FILTER_OPTIONS,
    by: { type: 'string' },
    calendar: { type: 'string' },
    saved: { type: 'string' },
    'provider-reported': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`summary takes options only, got "${positionals[0]}"\nUsage: ${USAGE}`);
  const ws = ctx.workspace();

  if (values['provider-reported']) {
    if (values.account?.length !== 1) throw new UsageError('--provider-reported needs exactly one --account');
    const report = providerReported(ws, { account: values.account[0]! });
    if (ctx.json) {
      printJson(ctx, report);
      return 0;
    }
    ctx.io.stdout(`# ${report.reason}\n`);
    if (!report.rows.length) ctx.io.stderr(`account "${report.account}": no campaign report synced yet (run cdr-desk sync)\n`);
    for (const r of report.rows) {
      ctx.io.stdout(`${r.campaign ?? r.campaignId}\t(synced ${r.syncedAt})\n`);
      ctx.io.stdout(`  provider: ${Object.entries(r.reported).map(([k, v]) => `${k}=${String(v)}`).join(' ')}\n`);
      ctx.io.stdout(`  local:    total=${r.local.total} answered=${r.local.answered} no_answer=${r.local.no_answer} busy=${r.local.busy} ` +
        `failed=${r.local.failed} answerRate=${(r.local.answerRate * 100).toFixed(1)}% billSec=${r.local.billSec}\n`);
    }
    return 0;
  }

  const saved = values.saved !== undefined ? getSavedSearch(ws, values.saved) : undefined;
  const filter = filterFromOptions(values, saved?.filter);
  const by = (values.by ?? 'campaign') as SummaryBy;
  const calendar = values.calendar;
  if (calendar !== undefined && calendar !== 'gregorian' && calendar !== 'persian') throw new UsageError(`--calendar takes gregorian or persian, got "${calendar}"`);
  const { rows } = summarize(ws, { filter, by, tz: values.tz, calendar });
  if (ctx.json) printJson(ctx, { rows });
  else if (!rows.length) ctx.io.stderr('no calls match\n');
  else printTable(ctx, rows);
  return 0;
}

export const summaryCommand: Command = {
  usage: USAGE,
  onlyReads: 'calls and totals',
  run,
};
