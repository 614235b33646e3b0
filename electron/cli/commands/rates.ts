// `cdr-desk rates import|list|clear`: an account's rate card (docs/costs.md).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { readRatesFile } from '../../data/costs/rate-file.ts';
import { clearRates, importRates, rateCardView } from '../../data/costs/store.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';

const USAGE = `cdr-desk rates import ACCOUNT FILE [--replace]   CSV or XLSX, columns prefix, per_minute, increment,
                                                 connect_fee, min_seconds, effective_from (any order)
       cdr-desk rates list ACCOUNT [--json]
       cdr-desk rates clear ACCOUNT

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

const SUBCOMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<number>> = { import: importCmd, list, clear };

export const ratesCommand: Command = {
  usage: USAGE,
  async run(ctx, args) {
    const [sub, ...rest] = args;
    const fn = sub ? SUBCOMMANDS[sub] : undefined;
    if (!fn) throw new UsageError(`rates takes import, list or clear\nUsage: ${USAGE}`);
    return fn(ctx, rest);
  },
};
