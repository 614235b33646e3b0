// What every `cdr-desk` subcommand provides. Commands parse their own options with node:util parseArgs.
import type { Workspace } from '../data/workspace.ts';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars), false under scripts and tests. */
  stderrIsTTY: boolean;
}

export interface CommandContext {
  /** Opens the data folder lazily: `--help` must work without touching it. */
  workspace(): Workspace;
  io: CliIO;
  json: boolean;
  dataDir: string;
}

export interface Command {
  usage: string;
  /**
   * The command only reads the cache, which it opens for reading (openWorkspaceForReading): 'calls and totals',
   * or 'calls' for a search, which never reads the running totals and opens the cache for one search
   * (ReadingOptions.searchOnly).
   */
  onlyReads?: 'calls' | 'calls and totals';
  run(ctx: CommandContext, args: string[]): Promise<number>;
}

/** A mistake in how the command was called: exit status 2 and the usage line. */
export class UsageError extends Error {}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout(JSON.stringify(value, null, 2) + '\n');
}

/** Resolves at Ctrl+C or SIGTERM, for commands that serve until stopped (preview, replay, demo). */
export function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
