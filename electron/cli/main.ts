// `cdr-desk`: the command line over the data layer (same database, sync and export as the app).
// Contract: ../shared/CLI.md. Exit 0 on success, 1 on a failure, 2 on a usage mistake; one line on stderr.
import { describeError } from '../data/errors.ts';
import { defaultDataDir } from '../data/paths.ts';
import type { Workspace } from '../data/workspace.ts';
import { COMMANDS } from './commands/index.ts';
import { UsageError, type CliIO, type CommandContext } from './command.ts';

// A reader that goes away (`cdr-desk search | head`) is not an error of ours: stop quietly, like other tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const defaultIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: cdr-desk [--data-dir DIR] [--json] COMMAND ...',
    '',
    'Call detail records from your voice providers, cached locally for offline search, summaries and export.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --data-dir DIR  folder holding the database (default: $CDR_DESK_DATA_DIR, else the app\'s per-user folder)',
    '  --json          print exactly one JSON document on stdout',
    '  -h, --help      this help; `cdr-desk COMMAND --help` for one command',
    '',
  ].join('\n');
}

interface GlobalOptions {
  dataDir: string | undefined;
  json: boolean;
  help: boolean;
  rest: string[];
}

/** Global flags may stand anywhere; everything else is passed to the command in order. */
function splitGlobals(argv: string[]): GlobalOptions {
  const out: GlobalOptions = { dataDir: undefined, json: false, help: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--json') out.json = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--data-dir') {
      const value = argv[++i];
      if (!value) throw new UsageError('--data-dir needs a folder');
      out.dataDir = value;
    } else if (arg.startsWith('--data-dir=')) out.dataDir = arg.slice('--data-dir='.length);
    else out.rest.push(arg);
  }
  return out;
}

export async function main(argv: string[], io: CliIO = defaultIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let workspace: Workspace | undefined;
  try {
    const g = splitGlobals(argv);
    const [name, ...args] = g.rest;
    if (!name) {
      (g.help ? io.stdout : io.stderr)(helpText());
      return g.help ? 0 : 2;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) throw new UsageError(`unknown command "${name}" (see cdr-desk --help)`);
    const command = await entry.load();
    if (g.help) {
      io.stdout(`Usage: ${command.usage}\n\n${entry.summary}\n`);
      return 0;
    }
    const dataDir = g.dataDir ?? defaultDataDir(env);
    // Loaded here, not at the top: `--help` never opens a database, and starts without its modules.
    const { openWorkspace, openWorkspaceForReading, readingFor } = await import('../data/workspace.ts');
    const reads = command.onlyReads;
    const open = reads ? (dir: string) => openWorkspaceForReading(dir, readingFor(reads)) : openWorkspace;
    const ctx: CommandContext = {
      io,
      json: g.json,
      dataDir,
      workspace: () => (workspace ??= open(dataDir)),
    };
    return await command.run(ctx, args);
  } catch (err) {
    io.stderr(`cdr-desk: ${describeError(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    workspace?.close();
  }
}
