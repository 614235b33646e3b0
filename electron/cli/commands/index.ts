// Every subcommand, in the order --help lists them.
import type { Command } from '../command.ts';
import { accountsCommand } from './accounts.ts';
import { previewCommand } from './preview.ts';
import { reserved } from './reserved.ts';

export const COMMANDS: readonly Command[] = [
  accountsCommand,
  reserved('sync', 'fetch new and changed calls from providers into the cache',
    'cdr-desk sync [NAME...] [--from DATE] [--to DATE] [--ids FILE] [--json]'),
  reserved('search', 'search cached calls offline',
    'cdr-desk search [--account NAME] [--text Q] [--status S]... [--campaign C] [--direction in|out] [--phone P] [--from DT] [--to DT] [--min-duration SEC] [--max-duration SEC] [--sort FIELD[:desc]] [--limit N] [--offset N] [--json]'),
  reserved('summary', 'campaign KPIs by campaign, day, hour, status or agent',
    'cdr-desk summary [--account NAME] [--by campaign|day|hour|status|agent] [search filters] [--tz IANA] [--provider-reported] [--json]'),
  reserved('export', 'export a search to XLSX or CSV for one account',
    'cdr-desk export --account NAME --format xlsx|csv --out FILE [search filters] [--tz IANA]'),
  previewCommand,
];
