// `npm run bench` (issues 10 and 20), not part of `npm test`: one run that builds a cache of 1,250,000 calls by
// syncing from the provider simulators, then measures on it sync (with the wire's ceiling), sync at 50 and 150 ms
// latency, normalize + upsert, search (with LIKE scans as the baseline), random filter combinations, summaries,
// the cold command line, export (with the sqlite3 shell's dump as the floor) and the renderer. Writes
// bench/results.json and docs/performance.md (generated whole).
//   node bench/run.ts [--scale 1] [--dir /tmp/cdr-desk-bench-sync] [--no-doc] [--skip latency,search,tail,combos,cli,export,renderer]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { openWorkspace } from '../electron/data/workspace.ts';
import { BENCH_ACCOUNTS, buildCache, scaled, simulatorsCpuSeconds, timedFirstSync } from './build-cache.ts';
import { likeBaseline } from './like-baseline.ts';
import { runCombos } from './filter-combos.ts';
import { runLatencyBench } from './latency.ts';
import { everyRun, MEDIAN_RUNS, medianRun } from './measure.ts';
import { PERFORMANCE_DOC, performanceDoc, type BenchResults } from './report.ts';
import { LIKE_QUERIES } from './search-summary-queries.ts';
import { resyncBench, resyncText } from './resync.ts';
import { runTailBench } from './search-tail.ts';
import { runUpsertBench } from './sync.ts';
import { pbxWireCeiling, sarvWireCeiling } from './wire-ceiling.ts';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { scale: { type: 'string' }, dir: { type: 'string' }, 'no-doc': { type: 'boolean' }, skip: { type: 'string' } },
});
const scale = Number(values.scale ?? 1);
const dir = values.dir ?? '/tmp/cdr-desk-bench-sync';
const skip = new Set((values.skip ?? '').split(',').filter(Boolean));
const started = Date.now();
const log = (line: string) => console.log(line);
const step = (title: string) => log(`\n## ${title} (${((Date.now() - started) / 1000).toFixed(0)} s into the run)`);

/** Runs a benchmark script in a process of its own (its memory is its own) and reads the JSON it writes. */
function child<T>(script: string, args: string[]): T {
  const out = join(mkdtempSync(join(tmpdir(), 'cdr-bench-out-')), 'result.json');
  try {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, script), ...args, '--json', out], { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) throw new Error(`bench/${script} exited with ${r.status ?? r.signal}`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

const sqliteVersion = new BetterSqlite3(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string;
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    sqlite: sqliteVersion,
    loadAverageAtStart: loadavg()[0]!,
  },
  scale,
  seconds: 0,
};

const accounts = scaled(scale);
step(`cache: ${accounts.reduce((n, a) => n + a.calls, 0).toLocaleString('en-US')} calls synced from the simulators into ${dir}`);
const built = await buildCache(dir, accounts, log);
try {
  results.cache = { calls: built.calls, accounts: accounts.map((a) => ({ name: a.name, provider: a.provider, calls: a.calls })) };
  step('the wire ceiling: the same pages fetched and parsed by a bare client, nothing stored');
  const pbx = built.sims.get('pbx-cdr')!.info;
  const sarv = built.sims.get('sarv-voice')!.info;
  // The pbx simulator's CPU while it serves the bare client (the others are idle): the wire's own cost per call.
  const pbxCeiling = await medianRun(MEDIAN_RUNS, async () => {
    const simCpu0 = await simulatorsCpuSeconds();
    const fig = await pbxWireCeiling(pbx);
    return { fig, simulatorCpuSeconds: (await simulatorsCpuSeconds()) - simCpu0 };
  }, (run) => run.fig.perSec);
  results.wire = { pbx: pbxCeiling.median.fig, simulatorCpuSeconds: pbxCeiling.median.simulatorCpuSeconds };
  // The by-id account syncs in seconds: its ratio is the median of pairs (the bare client, then a first sync of
  // the same ids into an empty cache), each pair on the machine as it was then.
  const byId = built.sync.find((s) => s.provider === 'sarv-voice')!;
  const sarvPairs = await medianRun(MEDIAN_RUNS, async () => {
    const bare = await sarvWireCeiling(sarv);
    const pairDir = mkdtempSync(join(tmpdir(), 'cdr-bench-by-id-'));
    const ws = openWorkspace(pairDir);
    try {
      const sync = await timedFirstSync(ws, byId.account, sarv);
      return { bare, sync, ratio: sync.perSec / bare.perSec };
    } finally {
      ws.close();
      rmSync(pairDir, { recursive: true, force: true });
    }
  }, (pair) => pair.ratio);
  const perSec = (n: number) => Math.round(n).toLocaleString('en-US');
  results.sync = built.sync.map((s) => {
    if (s.provider === 'pbx-cdr') {
      const ceiling = pbxCeiling.median.fig.perSec;
      return { ...s, wireCeilingPerSec: ceiling, wireCeilingRuns: pbxCeiling.keys, ratio: s.perSec / ceiling };
    }
    if (s === byId) return { ...sarvPairs.median.sync, wireCeilingPerSec: sarvPairs.median.bare.perSec, ratio: sarvPairs.median.ratio, ratioRuns: sarvPairs.keys };
    return { ...s, wireCeilingPerSec: null, ratio: null };
  });
  for (const s of results.sync) {
    if (s.ratio === null) continue;
    log(`${s.account}: sync ${perSec(s.perSec)}/s, wire ceiling ${perSec(s.wireCeilingPerSec!)}/s${everyRun(s.wireCeilingRuns, perSec)}, ratio ${s.ratio.toFixed(2)}${everyRun(s.ratioRuns, (r) => r.toFixed(2))}`);
  }
  step(`a second sync of ${BENCH_ACCOUNTS[0]!.name} with nothing new`);
  results.resync = await resyncBench(dir, BENCH_ACCOUNTS[0]!.name, built.sims.get(BENCH_ACCOUNTS[0]!.provider)!);
  log(resyncText(results.resync));
} finally {
  await Promise.all([...built.sims.values()].map((s) => s.stop()));
}

if (!skip.has('latency')) {
  step('sync at 50 and 150 ms latency: the bare client against the sync, every paged provider');
  results.latency = await runLatencyBench(scale, undefined, log);
}

step('normalize + upsert alone');
results.upsert = await runUpsertBench(Math.max(10_000, Math.round(100_000 * Math.min(1, scale * 2))), log);

if (!skip.has('search')) {
  step('search and summaries');
  results.searchSummary = child('search-summary.ts', [dir]);
  step('the same searches with LIKE scans instead of the indexes');
  const db = new BetterSqlite3(join(dir, 'cdr-desk.sqlite'), { readonly: true });
  const like = likeBaseline(db, LIKE_QUERIES);
  db.close();
  results.like = like;
  for (const l of like) log(`LIKE: ${l.label}: ${l.matches} matches, first page ${l.pageMs.toFixed(0)} ms, total ${l.totalMs.toFixed(0)} ms`);
}

if (!skip.has('tail')) {
  // A million indexed calls: what a tail search costs beside the FTS matches grows with them.
  step('search over the deferred tail at its largest (a cache of its own: 1,000,000 indexed calls and the tail)');
  results.searchTail = await runTailBench(Math.round(1_000_000 * scale), 5, log);
}

if (!skip.has('combos')) {
  step('random filter combinations');
  results.combos = runCombos(dir);
  const c = results.combos;
  log(`${c.count} combinations: first page p95 ${c.page.p95.toFixed(1)} ms, exact total p95 ${c.total.p95.toFixed(1)} ms; worst ${c.worst.label}`);
}

if (!skip.has('cli')) {
  step('cold command line');
  // In a process of its own: this one holds gigabytes by now, and each command it spawned took twice as long to
  // start (Node's own start included) as from a shell.
  results.cli = child('cli.ts', [dir]);
}

if (!skip.has('export')) {
  step(`export of the ${BENCH_ACCOUNTS[0]!.name} account`);
  results.export = child('export.ts', ['--data-dir', dir, '--account', BENCH_ACCOUNTS[0]!.name, '--only-data-dir']);
}

if (!skip.has('renderer')) {
  step('renderer');
  results.renderer = child('renderer.ts', [dir]);
}

results.seconds = (Date.now() - started) / 1000;
writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`\nbench/results.json written; the whole run took ${results.seconds.toFixed(0)} s`);
if (!values['no-doc']) {
  writeFileSync(PERFORMANCE_DOC, performanceDoc(results));
  log('docs/performance.md written');
}
