// `cdr-desk saved list|save|delete`: named filter sets, reused with `search --saved NAME` (and by the UI).
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../data/search/saved.ts';
import { parseSortText } from '../../data/search/sort.ts';
import { printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filterFromOptions, parseOptions } from './search.ts';

const USAGE = `cdr-desk saved list [--json]
       cdr-desk saved save NAME ${FILTER_USAGE} [--tz IANA] [--sort FIELD[:desc]]   (replaces a search of that name)
       cdr-desk saved delete NAME`;

async function list(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {});
  if (positionals.length) throw new UsageError('saved list takes no arguments');
  const saved = listSavedSearches(ctx.workspace());
  if (ctx.json) printJson(ctx, saved);
  else if (!saved.length) ctx.io.stderr('no saved searches yet: cdr-desk saved save NAME [filters]\n');
  else for (const s of saved) ctx.io.stdout(`${s.name}\t${JSON.stringify(s.filter)}${s.sort ? `\tsort ${s.sort.field}${s.sort.desc ? ':desc' : ''}` : ''}\n`);
  return 0;
}

async function save(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...FILTER_OPTIONS, sort: { type: 'string' } });
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('saved save takes exactly one NAME');
  const saved = saveSearch(ctx.workspace(), {
    name,
    filter: filterFromOptions(values),
    sort: values.sort !== undefined ? parseSortText(values.sort) : undefined,
  });
  if (ctx.json) printJson(ctx, saved);
  else ctx.io.stderr(`saved search "${saved.name}"\n`);
  return 0;
}

async function remove(ctx: CommandContext, args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {});
  const [name, ...extra] = positionals;
  if (!name || extra.length) throw new UsageError('saved delete takes exactly one NAME');
  deleteSavedSearch(ctx.workspace(), name);
  if (ctx.json) printJson(ctx, { deleted: name });
  else ctx.io.stderr(`deleted saved search "${name}"\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<number>> = { list, save, delete: remove };

export const savedCommand: Command = {
  usage: USAGE,
  async run(ctx, args) {
    const [sub, ...rest] = args;
    const fn = sub ? SUBCOMMANDS[sub] : undefined;
    if (!fn) throw new UsageError(`saved takes list, save or delete\nUsage: ${USAGE}`);
    return fn(ctx, rest);
  },
};
