// Every subcommand, in the order --help lists them.
import type { Command } from '../command.ts';
import { accountsCommand } from './accounts.ts';
import { exportCommand } from './export.ts';
import { previewCommand } from './preview.ts';
import { reserved } from './reserved.ts';
import { savedCommand } from './saved.ts';
import { searchCommand } from './search.ts';
import { summaryCommand } from './summary.ts';

export const COMMANDS: readonly Command[] = [
  accountsCommand,
  reserved('sync', 'fetch new and changed calls from providers into the cache',
    'cdr-desk sync [NAME...] [--from DATE] [--to DATE] [--ids FILE] [--json]'),
  searchCommand,
  summaryCommand,
  savedCommand,
  exportCommand,
  previewCommand,
];
