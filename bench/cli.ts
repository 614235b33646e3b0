// Cold command line (issue 20): a new `node bin/cdr-desk.js` process per run, timed from spawn to exit, over the
// bench cache: `--help` (goal < 150 ms) and `search` with several filters (goal < 250 ms end to end). Node's own
// start (`node -e ""`) is the floor; beside each search, the same search alone (opening the cache and `search()`,
// page and exact total, timed inside a new process whose modules are already loaded) shows how much of the
// command is the search and how much is start-up; `search --help` times Node's start and the search command's
// modules loaded (no cache opened), so the two together are the command's floor as built. One run first fills the
// CLI's bundle cache (bin/cli-bundle.js), as the first command after an install or an update does.
//   node bench/cli.ts [DATA_DIR] [--runs 10] [--json FILE]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCache } from './build-cache.ts';

export const HELP_GOAL_MS = 150;
export const SEARCH_GOAL_MS = 250;

interface Spread {
  p50: number;
  p95: number;
}

export interface CliFigures {
  runs: number;
  nodeFloor: Spread;
  /** `cdr-desk search --help`: Node's start and the search command's modules loaded, no cache opened. */
  searchModules: Spread;
  /** `searchAlone`: the search without Node's start and module loading (searches only). */
  commands: { args: string[]; p50: number; p95: number; goal: number; searchAlone?: Spread }[];
}

const BIN = join(import.meta.dirname, '..', 'bin', 'cdr-desk.js');
/** Run as `node bench/cli.ts --search-alone DIR SEARCH_ARGS...`, a child prints the ms of that one search. */
const SEARCH_ALONE = '--search-alone';

/** Searches a manager types, over the bench cache's accounts, names and numbers (seed 10). */
const SEARCHES: readonly string[][] = [
  ['search', '--text', 'popescu', '--status', 'answered'],
  ['search', '--account', 'Tehran Dialer', '--text', 'نوروز', '--status', 'answered'],
  ['search', '--status', 'answered', '--min-duration', '60'],
  ['search', '--phone', '0912', '--from', '2024-06-01', '--to', '2024-06-30'],
  ['search', '--campaign', 'Khuyến mãi Tết', '--sort', 'agent'],
];

function run(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function spread(fn: () => number, runs: number): Spread {
  fn();
  const xs = Array.from({ length: runs }, fn).sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

export function runCliBench(dir: string, runs = 10, log: (line: string) => void = console.log): CliFigures {
  const env = { ...process.env, CDR_DESK_KEY_FILE: process.env.CDR_DESK_KEY_FILE ?? join(dir, 'secret-store.key') };
  const nodeFloor = spread(() => run(['-e', ''], env).ms, runs);
  log(`node -e "": p50 ${nodeFloor.p50.toFixed(0)} ms, p95 ${nodeFloor.p95.toFixed(0)} ms (the floor)`);
  const searchModules = spread(() => run([BIN, 'search', '--help'], env).ms, runs);
  log(`cdr-desk search --help: p50 ${searchModules.p50.toFixed(0)} ms, p95 ${searchModules.p95.toFixed(0)} ms (Node's start and the search command's modules)`);
  const commands = [['--help'], ...SEARCHES.map((s) => ['--data-dir', dir, ...s, '--limit', '100'])].map((args) => {
    const goal = args[0] === '--help' ? HELP_GOAL_MS : SEARCH_GOAL_MS;
    const s = spread(() => run([BIN, ...args], env).ms, runs);
    const shown = args.filter((a, i) => a !== '--data-dir' && args[i - 1] !== '--data-dir');
    let line = `cdr-desk ${shown.join(' ')}: p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms (goal < ${goal})`;
    if (shown[0] !== 'search') {
      log(line);
      return { args: shown, ...s, goal };
    }
    const searchAlone = spread(() => Number(run([import.meta.filename, SEARCH_ALONE, dir, ...shown.slice(1)], env).stdout), runs);
    log(`${line}; the search alone p50 ${searchAlone.p50.toFixed(0)} ms, p95 ${searchAlone.p95.toFixed(0)} ms`);
    return { args: shown, ...s, goal, searchAlone };
  });
  return { runs, nodeFloor, searchModules, commands };
}

/** The command's own search, parsed by its own options code, timed from opening the cache to the result. */
async function searchAlone(dir: string, args: string[]): Promise<number> {
  const { FILTER_OPTIONS, filterFromOptions, parseOptions, searchCommand, wholeNumber } = await import('../electron/cli/commands/search.ts');
  const { openWorkspaceForReading, readingFor } = await import('../electron/data/workspace.ts');
  const { search } = await import('../electron/data/search/search.ts');
  const { parseSortText } = await import('../electron/data/search/sort.ts');
  const { values } = parseOptions(args, { ...FILTER_OPTIONS, sort: { type: 'string' }, limit: { type: 'string' } });
  const t = performance.now();
  const ws = openWorkspaceForReading(dir, readingFor(searchCommand.onlyReads!)); // as the command opens it
  const r = search(ws, {
    filter: filterFromOptions(values),
    sort: values.sort === undefined ? undefined : parseSortText(values.sort),
    limit: wholeNumber('limit', values.limit) ?? 100,
  });
  const ms = performance.now() - t;
  ws.close();
  if (!r.rows.length) throw new Error(`no calls for ${args.join(' ')}`);
  return ms;
}

if (import.meta.main && process.argv[2] === SEARCH_ALONE) {
  console.log(await searchAlone(process.argv[3]!, process.argv.slice(4)));
} else if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string' }, json: { type: 'string' } } });
  const dir = positionals[0] ?? '/tmp/cdr-desk-bench-sync';
  await ensureCache(dir, (l) => console.error(l));
  const r = runCliBench(dir, Number(values.runs ?? 10));
  if (values.json) writeFileSync(values.json, JSON.stringify(r));
}
