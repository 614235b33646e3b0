// Every subcommand, in the order --help lists them.
import type { Command } from '../command.ts';
import { accountsCommand } from './accounts.ts';
import { exportCommand } from './export.ts';
import { previewCommand } from './preview.ts';
import { reserved } from './reserved.ts';
import { savedCommand } from './saved.ts';
import { searchCommand } from './search.ts';
import { summaryCommand } from './summary.ts';
import { syncCommand } from './sync.ts';
import { demoCommand } from './demo.ts';

export const COMMANDS: readonly Command[] = [
  accountsCommand,
  syncCommand,
  searchCommand,
  summaryCommand,
  savedCommand,
  exportCommand,
  demoCommand,
  previewCommand,
];
