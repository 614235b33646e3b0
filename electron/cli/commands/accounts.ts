// `cdr-desk accounts add|list|edit|remove`.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { BillingPatch } from '../../shared/costs.ts';
import { PROVIDERS } from '../../shared/providers.ts';
import { checkCurrency } from '../../data/costs/rates.ts';
import { setBilling } from '../../data/costs/store.ts';
import { accountCoverage } from '../../data/sync/coverage.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';

const USAGE = `cdr-desk accounts add NAME --provider ID --base-url URL [--timezone IANA] [--auto-sync WHEN] [--secret KEY=VALUE]... [BILLING]
       cdr-desk accounts list [--json]
       cdr-desk accounts edit NAME [--name NEW] [--base-url URL] [--timezone IANA] [--auto-sync WHEN] [--secret KEY=VALUE]... [BILLING]
       cdr-desk accounts remove NAME
       cdr-desk accounts coverage NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

BILLING (what the calls cost, docs/costs.md): --currency ISO4217  --bill-by billsec|duration
  --unanswered-fee yes|no (whether unanswered calls pay the connect fee)

Providers, their secrets and home zones (the --timezone default: the zone the provider's API writes naive
times in, never this machine's). --auto-sync (off, 15m, 1h, 4h or daily@HH:MM; default off): how often the
desktop app syncs the account on its own while it is open:
${Object.values(PROVIDERS)
  .map((p) => `  ${p.id.padEnd(14)} ${p.secrets.map((s) => s.key).join(', ').padEnd(26)} ${p.defaultTimezone.padEnd(17)} (${p.label})`)
  .join('\n')}`;

/** `--secret KEY=VALUE`, repeatable. The value may itself contain '='. */
function parseSecrets(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('--secret takes KEY=VALUE');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function parse(args: string[], options: ParseArgsOptionsConfig) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const fieldOptions = {
  currency: { type: 'string' },
  'bill-by': { type: 'string' },
  'unanswered-fee': { type: 'string' },
  'base-url': { type: 'string' },
  timezone: { type: 'string' },
  'auto-sync': { type: 'string' },
  secret: { type: 'string', multiple: true },
} as const;

/** The billing options given, checked before anything is stored (null when none was given). */
function billingOptions(values: Record<string, unknown>, name: string): BillingPatch | null {
  const { currency, 'bill-by': billBy, 'unanswered-fee': fee } = values as Record<string, string | undefined>;
  if (currency === undefined && billBy === undefined && fee === undefined) return null;
  if (billBy !== undefined && billBy !== 'billsec' && billBy !== 'duration') throw new UsageError('--bill-by takes billsec or duration');
  if (fee !== undefined && fee !== 'yes' && fee !== 'no') throw new UsageError('--unanswered-fee takes yes or no');
  return {
    ...(currency !== undefined ? { currency: checkCurrency(currency, name) } : {}),
    ...(billBy !== undefined ? { billBy } : {}),
    ...(fee !== undefined ? { unansweredConnectFee: fee === 'yes' } : {}),
  };
}

async function add(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...fieldOptions, provider: { type: 'string' } });
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('accounts add takes exactly one NAME');
  const billing = billingOptions(values, name);
  if (billing && billing.currency === undefined) throw new UsageError('--bill-by and --unanswered-fee need --currency');
  if (!values.provider) throw new UsageError(`--provider is required (one of ${Object.keys(PROVIDERS).join(', ')})`);
  if (!values['base-url']) throw new UsageError('--base-url is required');
  const account = await ctx.workspace().accounts.add({
    name,
    provider: values.provider,
    baseUrl: values['base-url'],
    timezone: values.timezone,
    autoSync: values['auto-sync'],
    secrets: parseSecrets(values.secret as string[] | undefined),
  });
  if (billing) setBilling(ctx.workspace().db, account.name, billing);
  if (ctx.json) printJson(ctx, { name: account.name, provider: account.provider, baseUrl: account.baseUrl, timezone: account.timezone });
  else ctx.io.stderr(`added account "${account.name}" (${account.provider}, ${account.timezone}); secrets kept in ${ctx.workspace().secrets.description}\n`);
  return 0;
}

async function edit(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...fieldOptions, name: { type: 'string' } });
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('accounts edit takes exactly one NAME');
  const secrets = parseSecrets(values.secret as string[] | undefined);
  const billing = billingOptions(values, name);
  const account = await ctx.workspace().accounts.edit(name, {
    name: values.name,
    baseUrl: values['base-url'],
    timezone: values.timezone,
    autoSync: values['auto-sync'],
    secrets: Object.keys(secrets).length ? secrets : undefined,
  });
  if (billing) setBilling(ctx.workspace().db, account.name, billing);
  if (ctx.json) printJson(ctx, { name: account.name, provider: account.provider, baseUrl: account.baseUrl, timezone: account.timezone });
  else ctx.io.stderr(`updated account "${account.name}"\n`);
  return 0;
}

async function list(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError('accounts list takes no arguments');
  const views = ctx.workspace().accounts.views();
  if (ctx.json) {
    printJson(
      ctx,
      views.map(({ name, provider, baseUrl, timezone, cdrCount, lastSyncAt, lastError, autoSync }) => ({
        name, provider, baseUrl, timezone, cdrCount, lastSyncAt, lastError, autoSync,
      })),
    );
    return 0;
  }
  if (!views.length) {
    ctx.io.stdout('no accounts yet: cdr-desk accounts add NAME --provider ID --base-url URL --secret KEY=VALUE\n');
    return 0;
  }
  for (const v of views) {
    const sync = v.lastSyncAt ? `last sync ${v.lastSyncAt}` : 'never synced';
    const check = v.lastVerdict && !v.lastError ? `\tlast check ${v.lastVerdict.status}: ${v.lastVerdict.text}` : '';
    ctx.io.stdout(`${v.name}\t${v.provider}\t${v.baseUrl}\t${v.timezone}\t${v.cdrCount} calls\t${sync}${v.lastError ? `\tlast error: ${v.lastError}` : ''}${check}\n`);
  }
  return 0;
}

async function remove(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('accounts remove takes exactly one NAME');
  await ctx.workspace().accounts.remove(name);
  if (ctx.json) printJson(ctx, { removed: name });
  else ctx.io.stderr(`removed account "${name}" and its cached calls\n`);
  return 0;
}

/** The coverage ledger: which time ranges were synced completely, and when; one line per range, or per day with --json. */
async function coverage(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { from: { type: 'string' }, to: { type: 'string' } });
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('accounts coverage takes exactly one NAME');
  const c = accountCoverage(ctx.workspace(), name, { from: values.from as string | undefined, to: values.to as string | undefined });
  if (ctx.json) {
    printJson(ctx, c);
    return 0;
  }
  if (!c.byTime) {
    ctx.io.stdout(`${c.account}: its provider reads calls by id, so its syncs cover ids, not time ranges (see its last check in accounts list)\n`);
    return 0;
  }
  if (!c.ranges.length) ctx.io.stdout(`${c.account}: never synced\n`);
  for (const r of c.ranges) {
    const when = r.syncedAt ? ` (synced ${r.syncedAt})` : '';
    ctx.io.stdout(`${r.from ?? 'beginning'} .. ${r.to ?? 'now'}\t${r.status}${when}\n`);
  }
  const count = (s: string) => c.days.filter((d) => d.status === s).length;
  const first = c.days[0]?.day;
  const last = c.days.at(-1)?.day;
  if (first) {
    ctx.io.stdout(`days ${first}..${last} (${c.timezone}): ${count('complete')} complete, ${count('unverified')} unverified, ${count('gap')} gaps, ${count('never')} never synced\n`);
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<number>> = { add, list, edit, remove, coverage };

export const accountsCommand: Command = {
  usage: USAGE,
  async run(ctx, args) {
    const [sub, ...rest] = args;
    const fn = sub ? SUBCOMMANDS[sub] : undefined;
    if (!fn) throw new UsageError(`accounts takes add, list, edit, remove or coverage\nUsage: ${USAGE}`);
    return fn(ctx, rest);
  },
};
