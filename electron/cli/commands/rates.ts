// `cdr-desk rates import|list|clear`: an account's rate card (docs/costs.md).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { readRatesFile } from '../../data/costs/rate-file.ts';
import { checkInvoice } from '../../data/costs/invoice.ts';
import { clearRates, importRates, rateCardView } from '../../data/costs/store.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';

const USAGE = `cdr-desk rates import ACCOUNT FILE [--replace]   CSV or XLSX, columns prefix, per_minute, increment,
                                                 connect_fee, min_seconds, effective_from (any order)
       cdr-desk rates list ACCOUNT [--json]
       cdr-desk rates clear ACCOUNT
       cdr-desk rates invoice ACCOUNT --from DATE --to DATE --minutes M --amount A [--json]
                                                 an invoice against the cache: difference and likeliest cause

Rates are added to the card's history; --replace puts the file in place of the whole card. A bad file changes
nothing and names the line. The account needs a currency first: cdr-desk accounts edit ACCOUNT --currency USD.`;

function parse(args: string[], options: ParseArgsOptionsConfig) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function importCmd(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { replace: { type: 'boolean' } });
  const [account, file, ...extra] = positionals;
  if (!account || !file || extra.length) throw new UsageError('rates import takes ACCOUNT FILE');
  const db = ctx.workspace().db;
  const name = rateCardView(db, account).account; // an unknown account fails before the file is read
  const rates = await readRatesFile(file, name);
  const n = importRates(db, name, rates, { replace: values.replace === true, source: file });
  const card = rateCardView(db, name);
  if (ctx.json) printJson(ctx, { account: name, imported: n, rates: card.rates.length });
  else ctx.io.stderr(`imported ${n} rate${n === 1 ? '' : 's'} for "${name}" (${card.rates.length} on the card, ${card.currency}); its calls were priced again\n`);
  return 0;
}

async function list(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const [account, ...extra] = positionals;
  if (!account || extra.length) throw new UsageError('rates list takes ACCOUNT');
  const card = rateCardView(ctx.workspace().db, account);
  if (ctx.json) {
    printJson(ctx, card);
    return 0;
  }
  ctx.io.stdout(`${card.account}: ${card.currency ?? 'no currency'}, billed by ${card.billBy === 'billsec' ? 'billable seconds' : 'duration'}, ` +
    `unanswered calls ${card.unansweredConnectFee ? 'pay the connect fee' : 'cost nothing'}\n`);
  if (!card.rates.length) ctx.io.stdout('no rates: cdr-desk rates import ACCOUNT FILE\n');
  for (const r of card.rates) {
    ctx.io.stdout(`${r.prefix || '(default)'}\t${r.perMinute}/min\t${r.increment}\tconnect ${r.connectFee}\t` +
      `${r.minSeconds === null ? '' : `min ${r.minSeconds}s\t`}from ${r.effectiveFrom}\n`);
  }
  return 0;
}

async function clear(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const [account, ...extra] = positionals;
  if (!account || extra.length) throw new UsageError('rates clear takes ACCOUNT');
  const db = ctx.workspace().db;
  const name = rateCardView(db, account).account;
  const removed = clearRates(db, name);
  if (ctx.json) printJson(ctx, { account: name, removed });
  else ctx.io.stderr(`removed ${removed} rate${removed === 1 ? '' : 's'} of "${name}"; its calls have no cost until rates are imported\n`);
  return 0;
}

async function invoice(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { from: { type: 'string' }, to: { type: 'string' }, minutes: { type: 'string' }, amount: { type: 'string' } });
  const [account, ...extra] = positionals;
  if (!account || extra.length) throw new UsageError('rates invoice takes ACCOUNT');
  const number = (name: 'minutes' | 'amount') => {
    const v = values[name] as string | undefined;
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`--${name} takes a number, got ${v === undefined ? 'nothing' : `"${v}"`}`);
    return Number(v);
  };
  if (!values.from || !values.to) throw new UsageError('rates invoice needs --from and --to (the invoice period)');
  const r = checkInvoice(ctx.workspace().db, { account, from: values.from as string, to: values.to as string, minutes: number('minutes'), amount: number('amount') });
  if (ctx.json) {
    printJson(ctx, r);
    return 0;
  }
  ctx.io.stdout(`ours: ${r.ours.calls} calls, ${r.ours.billedMinutes} billed minutes, ${r.ours.cost ?? '-'} ${r.currency ?? ''}\n`);
  ctx.io.stdout(`difference (invoice - ours): ${r.difference.minutes} min, ${r.difference.amount ?? '-'} ${r.currency ?? ''}\n`);
  const c = r.cause;
  ctx.io.stdout(`likeliest cause: ${c === null ? 'none, the invoice matches' : c.kind === 'duration' ? `billing by duration (would be ${c.amount})`
    : c.kind === 'billsec' ? `billing by billable seconds (would be ${c.amount})` : c.kind === 'rate_change' ? `the rate in force since ${c.since} (the earlier rate gives ${c.amount})`
    : c.kind === 'pending' ? `${c.count} calls still pending` : c.kind === 'unpriced' ? `${c.count} calls without a rate` : 'none found in the cache'}\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<number>> = { import: importCmd, list, clear, invoice };

export const ratesCommand: Command = {
  usage: USAGE,
  async run(ctx, args) {
    const [sub, ...rest] = args;
    const fn = sub ? SUBCOMMANDS[sub] : undefined;
    if (!fn) throw new UsageError(`rates takes import, list, clear or invoice\nUsage: ${USAGE}`);
    return fn(ctx, rest);
  },
};
