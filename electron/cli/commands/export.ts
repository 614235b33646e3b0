// `cdr-desk export`: the rows a search with the same filters returns, for one account, to XLSX or CSV.
import { extname } from 'node:path';
import { getSavedSearch } from '../../data/search/saved.ts';
import { UserError } from '../../data/errors.ts';
import { exportCalls, type ExportFormat } from '../../data/export/run.ts';
import { exportDay, fillOutPath } from '../../data/export/out-path.ts';
import { dayInZone, resolveRelativeDay } from '../../data/time/relative-day.ts';
import type { ExportProgress } from '../../data/export/progress.ts';
import { parseSortText } from '../../data/search/sort.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filterFromOptions, parseOptions } from './search.ts';

const USAGE = `cdr-desk export --account NAME --format xlsx|csv --out FILE ${FILTER_USAGE.replace('[--account NAME]... ', '')}
       [--saved NAME] [--sort FIELD[:desc]] [--tz IANA] [--separator ';'] [--rtl] [--overwrite] [--json]

  One account per export. Times are written in the account's zone, or --tz (which also reads local --from/--to).
  XLSX: a "Calls" sheet (more when rows pass 1,048,576) and a campaign "Summary" sheet; --rtl lays every sheet out
  right to left (for Persian readers). CSV: UTF-8 with BOM, RFC 4180, CRLF; --separator ';' for Excel in locales
  that expect it. A text cell starting with = + - @ tab or CR is written with a leading ' in CSV, so no
  spreadsheet runs it as a formula (phone numbers: '+40700000000).
  An existing FILE is kept unless --overwrite; the file appears only when complete.
  For scheduled jobs: --from/--to also take today and yesterday (days in the export's zone), and FILE may hold
  {date} (the day --from names, else --to, else today: YYYY-MM-DD) and {account} (the account's name, made safe
  for a file name), e.g. --from yesterday --to yesterday --out "reports/{account} {date}.xlsx".`;

function formatOf(format: string | undefined, out: string): ExportFormat {
  const f = (format ?? extname(out).slice(1)).toLowerCase();
  if (f !== 'xlsx' && f !== 'csv') {
    throw new UsageError(format === undefined ? '--format xlsx|csv is required' : `--format takes xlsx or csv, got "${format}"`);
  }
  return f;
}

/** Progress on a terminal only: one line redrawn in place, at most a few times a second. */
function progressLine(ctx: CommandContext): { onProgress?: (p: ExportProgress) => void; end: () => void } {
  if (!ctx.io.stderrIsTTY) return { end: () => {} };
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 200 && p.rows !== p.total) return;
      last = now;
      shown = true;
      const pct = p.total ? ` (${Math.floor((100 * p.rows) / p.total)}%)` : '';
      ctx.io.stderr(`\rexporting ${p.rows.toLocaleString('en-US')}${p.total !== undefined ? ` of ${p.total.toLocaleString('en-US')}` : ''} calls${pct}`);
    },
    end: () => { if (shown) ctx.io.stderr('\n'); },
  };
}

async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...FILTER_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
    saved: { type: 'string' },
    sort: { type: 'string' },
    separator: { type: 'string' },
    overwrite: { type: 'boolean' },
    rtl: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`export takes options only, got "${positionals[0]}"\nUsage: ${USAGE}`);
  if (values.account?.length !== 1) throw new UsageError('export needs exactly one --account NAME (one provider account per file)');
  if (!values.out) throw new UsageError('--out FILE is required');
  const format = formatOf(values.format, values.out);
  const separator = values.separator;
  if (separator !== undefined && separator !== ',' && separator !== ';') throw new UsageError(`--separator takes "," or ";", got "${separator}"`);
  if (separator !== undefined && format !== 'csv') throw new UsageError('--separator applies to CSV only');
  if (values.rtl && format !== 'xlsx') throw new UsageError('--rtl applies to XLSX only');

  const ws = ctx.workspace();
  const account = values.account[0]!;
  const saved = values.saved !== undefined ? getSavedSearch(ws, values.saved) : undefined;
  // today/yesterday are days in the zone the export is written in (the account's unless --tz).
  const zone = values.tz ?? ws.accounts.get(account).timezone;
  const now = Date.now();
  const from = resolveRelativeDay(values.from, zone, now);
  const to = resolveRelativeDay(values.to, zone, now);
  const filter = filterFromOptions({ ...values, from, to }, saved?.filter);
  const out = fillOutPath(values.out, { date: exportDay(filter.from, filter.to, dayInZone(zone, now)), account }, account);
  const sort = values.sort !== undefined ? parseSortText(values.sort) : (saved?.sort ?? undefined);

  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  process.once('SIGINT', onSigint);
  const progress = progressLine(ctx);
  try {
    const result = await exportCalls(ws, {
      account, format, out, filter, sort, tz: values.tz, separator, rightToLeft: values.rtl ?? false, overwrite: values.overwrite ?? false,
      signal: cancel.signal, onProgress: progress.onProgress,
    });
    progress.end();
    if (ctx.json) printJson(ctx, result);
    else ctx.io.stderr(`exported ${result.rows} calls of account "${account}" to ${result.file}${result.sheets.length ? ` (sheets: ${result.sheets.join(', ')})` : ''}\n`);
    return 0;
  } catch (err) {
    progress.end();
    if (cancel.signal.aborted) throw new UserError(`export cancelled; ${out} was not written`, account);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export const exportCommand: Command = {
  usage: USAGE,
  onlyReads: 'calls and totals',
  run,
};
