// `cdr-desk alerts`: what moved on each campaign's day against the same weekday of the four weeks before. Exit 0
// with or without alerts, so a scheduled job can mail the JSON; only a usage or data error is a failure.
import { findAlerts } from '../../data/alerts/alerts.ts';
import type { Alert } from '../../shared/alerts.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { parseOptions } from './search.ts';

const USAGE = `cdr-desk alerts [--account NAME] [--day YYYY-MM-DD] [--json]

  For every campaign of the account (default: every account), its calls, answer rate and average talk time on
  the day (default: the last complete day, yesterday in the account's time zone) against the same weekday 7, 14,
  21 and 28 days before. Rates: a two-proportion test at 99.9% confidence; volumes and averages: a robust z-score
  of 3.5 or more on the four baselines; never below 30 calls, nor for a change under 30% (5 points for rates).
  The rules, word for word, are in docs/alerts.md. --json: {"alerts":[{"account","campaign","day","kpi","value",
  "baseline","direction"}]}. Exit 0 with or without alerts.`;

const KPI_TEXT: Record<Alert['kpi'], string> = { calls: 'calls', answerRate: 'answer rate', avgTalkSec: 'average talk time (s)' };

function show(a: Alert): string {
  const fmt = (v: number) => (a.kpi === 'answerRate' ? `${(v * 100).toFixed(1)}%` : String(v));
  return `${a.account} / ${a.campaign ?? '(no campaign)'} ${a.day}: ${KPI_TEXT[a.kpi]} ${a.direction} to ${fmt(a.value)} from ${fmt(a.baseline)}`;
}

async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { account: { type: 'string' }, day: { type: 'string' } });
  if (positionals.length) throw new UsageError(`alerts takes options only, got "${positionals[0]}"\nUsage: ${USAGE}`);
  const alerts = findAlerts(ctx.workspace(), { account: values.account, day: values.day });
  if (ctx.json) printJson(ctx, { alerts });
  else ctx.io.stdout(alerts.length ? alerts.map(show).join('\n') + '\n' : 'no alerts\n');
  return 0;
}

export const alertsCommand: Command = { usage: USAGE, onlyReads: 'calls and totals', run };
