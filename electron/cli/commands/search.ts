// `cdr-desk search`: the offline search from the command line, and the search-filter options the summary and
// saved commands share (one grammar: electron/shared/filter.ts).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { getSavedSearch } from '../../data/search/saved.ts';
import { search } from '../../data/search/search.ts';
import { parseSortText } from '../../data/search/sort.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';

export const FILTER_USAGE =
  '[--account NAME]... [--text Q] [--status S]... [--campaign C] [--direction in|out] [--phone P] [--from DT] [--to DT] [--min-duration SEC] [--max-duration SEC] [--min-cost AMOUNT] [--max-cost AMOUNT]';

export const FILTER_OPTIONS = {
  account: { type: 'string', multiple: true },
  text: { type: 'string' },
  status: { type: 'string', multiple: true },
  campaign: { type: 'string' },
  direction: { type: 'string' },
  phone: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'min-duration': { type: 'string' },
  'max-duration': { type: 'string' },
  'min-cost': { type: 'string' },
  'max-cost': { type: 'string' },
  tz: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export function parseOptions<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function wholeNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${option} takes a whole number, got "${text}"`);
  return Number(text);
}

/** A cost bound: a plain decimal amount in the account's currency (0.25, 3). */
function amount(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d{1,4})?$/.test(text.trim())) throw new UsageError(`--${option} takes an amount like 0.25 (at most 4 decimals), got "${text}"`);
  return Number(text);
}

type FilterValues = { [K in keyof typeof FILTER_OPTIONS]?: (typeof FILTER_OPTIONS)[K] extends { multiple: true } ? string[] : string };

/** The filter the options describe, laid over a base (a saved search): options given win. */
export function filterFromOptions(v: FilterValues, base: SearchFilter = {}): SearchFilter {
  const f: SearchFilter = { ...base };
  if (v.account?.length) f.accounts = v.account;
  if (v.text !== undefined) f.text = v.text;
  if (v.status?.length) f.statuses = v.status.flatMap((s) => s.split(',')).map((s) => s.trim()) as SearchFilter['statuses'];
  if (v.campaign !== undefined) f.campaign = v.campaign;
  if (v.direction !== undefined) f.direction = v.direction as SearchFilter['direction'];
  if (v.phone !== undefined) f.phone = v.phone;
  if (v.from !== undefined) f.from = v.from;
  if (v.to !== undefined) f.to = v.to;
  if (v.tz !== undefined) f.tz = v.tz;
  const min = wholeNumber('min-duration', v['min-duration']);
  const max = wholeNumber('max-duration', v['max-duration']);
  if (min !== undefined) f.minDuration = min;
  if (max !== undefined) f.maxDuration = max;
  const minCost = amount('min-cost', v['min-cost']);
  const maxCost = amount('max-cost', v['max-cost']);
  if (minCost !== undefined) f.minCost = minCost;
  if (maxCost !== undefined) f.maxCost = maxCost;
  return f;
}

const USAGE = `cdr-desk search ${FILTER_USAGE} [--tz IANA] [--saved NAME] [--sort FIELD[:desc]] [--limit N] [--offset N] [--json]

  DT is a date (YYYY-MM-DD; as --to it includes the whole day), a local date-time (YYYY-MM-DD HH:MM[:SS], in the
  account's zone or --tz) or an ISO 8601 instant with Z or an offset. --status may repeat or list several, comma-separated.
  --saved NAME starts from a saved search (see cdr-desk saved); options given here replace its values.
  Sort fields: startedAt (default, newest first), answeredAt, endedAt, durationSec, billSec, status, campaign,
  source, destination, account, agent, callId, direction.`;

async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...FILTER_OPTIONS,
    saved: { type: 'string' },
    sort: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`search takes options only, got "${positionals[0]}"\nUsage: ${USAGE}`);
  const ws = ctx.workspace();
  const saved = values.saved !== undefined ? getSavedSearch(ws, values.saved) : undefined;
  const filter = filterFromOptions(values, saved?.filter);
  const sort: SortSpec | undefined = values.sort !== undefined ? parseSortText(values.sort) : (saved?.sort ?? undefined);
  const result = search(ws, {
    filter,
    sort,
    limit: wholeNumber('limit', values.limit) ?? 100,
    offset: wholeNumber('offset', values.offset) ?? 0,
  });
  if (ctx.json) {
    printJson(ctx, { total: result.total, rows: result.rows });
    return 0;
  }
  for (const c of result.rows) {
    ctx.io.stdout(
      [c.startedAt ?? '-', c.account, c.callId, c.campaign ?? '-', c.direction ?? '-', `${c.source ?? '-'} -> ${c.destination ?? '-'}`,
        c.status, c.durationSec === null ? '-' : `${c.durationSec}s`, c.agent ?? '-'].join('\t') + '\n',
    );
  }
  const first = result.rows.length ? (wholeNumber('offset', values.offset) ?? 0) + 1 : 0;
  ctx.io.stderr(`${result.rows.length ? `calls ${first}-${first + result.rows.length - 1}` : 'no calls'} of ${result.total}\n`);
  return 0;
}

export const searchCommand: Command = {
  usage: USAGE,
  onlyReads: 'calls', // the search reads no running totals (summary/totals.ts)
  run,
};
