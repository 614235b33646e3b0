// bench/results.json's shape, and docs/performance.md made from it: the bench owns that file whole, so it only
// ever shows figures a run printed, each beside its goal; a goal not met shows the measured floor and why it holds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliFigures } from './cli.ts';
import { PAGE_GOAL_MS, type ComboResults } from './filter-combos.ts';
import { LATENCY_GOAL, type LatencyFigure } from './latency.ts';
import type { LikeTiming } from './like-baseline.ts';
import { everyRun, type Figure } from './measure.ts';
import type { SyncFigure } from './build-cache.ts';
import type { UpsertBenchResult } from './sync.ts';
import type { WriteFloor } from './write-floor.ts';
import type { ResyncResult } from './resync.ts';
import { tailTable, type TailBenchResult } from './search-tail.ts';

/** The generated document (`npm run bench`, or `node bench/report.ts` from bench/results.json). */
export const PERFORMANCE_DOC = join(import.meta.dirname, '..', 'docs', 'performance.md');

export interface TimedRow {
  what: string;
  matches: string;
  p50: number;
  p95: number;
  max: number;
  cpu50: number;
  target: number;
  /** Set on a measured floor of the row above it (bench/search-summary-floor.ts): what the floor reads. */
  floor?: string;
}

export interface ExportMeasure {
  label: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number | null;
  bytes: number;
}

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string; node: string; sqlite: string; loadAverageAtStart: number };
  scale: number;
  seconds: number;
  cache?: { calls: number; accounts: { name: string; provider: string; calls: number }[] };
  /**
   * wireCeilingRuns: every run's rate of the bare client, of which wireCeilingPerSec is the median (the cache's own
   * sync against it). ratioRuns: every pair's ratio (the bare client, then a first sync), of which this is the median.
   */
  sync?: (SyncFigure & { wireCeilingPerSec: number | null; wireCeilingRuns?: number[]; ratio: number | null; ratioRuns?: number[] })[];
  latency?: LatencyFigure[];
  combos?: ComboResults;
  cli?: CliFigures;
  upsert?: UpsertBenchResult;
  /** The pbx-cdr bare client (main-thread CPU) and its simulator's CPU meanwhile: the wire's own cost per call. */
  wire?: { pbx: Figure; simulatorCpuSeconds: number };
  /** A second sync with nothing new on the million-call account (bench/resync.ts). */
  resync?: ResyncResult;
  /** Search with the deferred FTS tail at its largest (bench/search-tail.ts). */
  searchTail?: TailBenchResult;
  searchSummary?: { calls: number; runs: number; rows: TimedRow[] };
  like?: LikeTiming[];
  export?: { cases: { title: string; calls: number; measures: ExportMeasure[] }[] };
  renderer?: Record<string, unknown> & {
    firstContentfulPaintMs: number;
    firstRowsMs: number;
    steadyScroll: { p50Ms: number; p95Ms: number };
    jumpToRowsMs: { p50: number; p95: number };
    rendererPssMb: number | null;
  };
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => (x < 10 ? x.toFixed(1) : n0(x));
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

/** The loopback goal (issue 20): the million-call PBX sync at 0.6 of what the wire carries. */
const LOOPBACK_RATIO = 0.6;

function syncTable(r: BenchResults): string[] {
  const out = [
    '## Sync from the simulators on loopback',
    '',
    `Goal: a sync at ${LOOPBACK_RATIO} of the wire ceiling (a bare client fetching and parsing the same pages, nothing stored) where there is one.${
      (r.sync ?? []).some((s) => s.ratioRuns || s.wireCeilingRuns)
        ? " One run moves with what else the machine does, so: a by-id account's row is the median of pairs (the bare client, then a first sync of the same ids into an empty cache), every pair's ratio given after it; the million-call account's row is the cache's own sync, against the median of the bare client's runs, every run's rate given after it."
        : ''}`,
    '',
    '| account | calls | wall s | CDRs/s | per CPU-s (all its threads) | wire ceiling /s | ratio | goal |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of r.sync ?? []) {
    const ratio = s.ratio === null ? '' : `${s.ratio.toFixed(2)}${everyRun(s.ratioRuns, (v) => v.toFixed(2))}`;
    const goal = s.ratio === null ? 'no ceiling measured' : `≥ ${LOOPBACK_RATIO}: ${verdict(s.ratio >= LOOPBACK_RATIO)}`;
    out.push(`| ${s.account} (${s.provider}, ${s.listing}) | ${n0(s.n)} | ${s.seconds.toFixed(1)} | ${n0(s.perSec)} | ${n0(s.perCpuSec)} | ${s.wireCeilingPerSec === null ? '' : n0(s.wireCeilingPerSec)}${everyRun(s.wireCeilingRuns, n0)} | ${ratio} | ${goal} |`);
  }
  if (r.upsert) {
    const f = (label: string, x: Figure) => `| ${label} | ${n0(x.n)} | ${x.seconds.toFixed(1)} | ${n0(x.perSec)} | ${n0(x.perCpuSec)} | | | |`;
    out.push(f('normalize alone (mapPbxRow)', r.upsert.normalize));
    out.push(f('upsert alone (CdrWriter, every index)', r.upsert.upsert));
    out.push(f('upsert, B-tree indexes dropped (their cost)', r.upsert.upsertWithoutBtree));
    out.push(f('normalize + upsert, one thread (a small sync)', r.upsert.normalizeUpsert));
    out.push(f('normalize + upsert, pipelined (a large sync: writer thread)', r.upsert.pipelined));
    const pbx = (r.sync ?? []).find((s) => s.provider === 'pbx-cdr' && s.wireCeilingPerSec);
    if (pbx && pbx.ratio! < LOOPBACK_RATIO) out.push(...(r.upsert.floor && r.upsert.prepare && r.wire ? floorTable(r, r.upsert.floor, r.upsert.prepare, r.wire) : [
      '',
      `Floor: the writer alone (normalize + upsert pipelined, no HTTP) stores ${n0(r.upsert.pipelined.perSec)} calls/s, ${(r.upsert.pipelined.perSec / pbx.wireCeilingPerSec!).toFixed(2)} of the wire ceiling.`,
    ]));
  }
  return out;
}

/**
 * The loopback floor from measured CPU per call: a pbx sync parses each page (the bare client's CPU), maps and
 * prepares each call on its main thread, and stores it on the writer thread, while the simulator serves it, all
 * on this machine's cores. No design does less than a bare INSERT, so these bound any sync from above.
 */
function floorTable(r: BenchResults, f: WriteFloor, prepare: Figure, wire: NonNullable<BenchResults['wire']>): string[] {
  const us = (x: Figure) => 1e6 / x.perCpuSec;
  const sim = (wire.simulatorCpuSeconds * 1e6) / wire.pbx.n;
  const main = us(wire.pbx) + us(r.upsert!.normalize) + us(prepare);
  const bound = (store: number) => {
    const bounds = [
      { rate: r.machine.cores / ((sim + main + store) / 1e6), why: `${r.machine.cores} cores shared by the simulator, the main thread and the writer` },
      { rate: 1e6 / main, why: 'the main thread (parse, map, prepare)' },
      { rate: 1e6 / store, why: 'the writer thread' },
    ];
    return bounds.reduce((a, b) => (b.rate < a.rate ? b : a));
  };
  // The wire's own bound from the same CPU figures (on a quiet machine about its wall rate; on a busy one the wall
  // rate falls and these do not).
  const parse = us(wire.pbx);
  const ceiling = Math.min(r.machine.cores / ((sim + parse) / 1e6), 1e6 / parse);
  const row = (label: string, cpuUs: number, note = '') => `| ${label} | ${cpuUs.toFixed(1)} | ${note} |`;
  const bareCpu = sim + main + us(f.bare);
  const cores = r.machine.cores / (bareCpu / 1e6);
  const app = bound(us(f.deferred));
  const share = (rate: number) => `${n0(rate)}/s, ${(rate / ceiling).toFixed(2)} of the wire`;
  return [
    '',
    'Where the time goes, per call (CPU µs, one thread each, 100,000 calls; bench/write-floor.ts):',
    '',
    '| piece | CPU µs per call | |',
    '| --- | --- | --- |',
    row('simulator serving the page', sim, 'its thread, during the wire ceiling'),
    row('fetch + parse (the bare client)', us(wire.pbx), 'main thread'),
    row('map (mapPbxRow)', us(r.upsert!.normalize), 'main thread'),
    row('prepare (search columns, raw JSON)', us(prepare), 'main thread'),
    row('store: bare INSERT, no key, no index', us(f.bare), 'writer thread'),
    row('store: + the upsert key', us(f.key)),
    row('store: + the secondary B-tree indexes', us(f.btree)),
    row('store: CdrWriter, FTS deferred (the app)', us(f.deferred), 'totals, costs, FTS in bulk per tail'),
    row('store: CdrWriter, all in step', us(f.inStep)),
    row('built in bulk after: B-tree indexes', us(f.bulk.btree), 'instead of in step'),
    row('built in bulk after: both FTS indexes', us(f.bulk.fts)),
    row('built in bulk after: totals', us(f.bulk.totals)),
    '',
    `Floor: a pbx sync parses, maps, prepares and stores each call while the simulator serves it: ${bareCpu.toFixed(1)} CPU µs per call with a bare INSERT ` +
      `(no key, index, FTS or totals). On ${r.machine.cores} cores that allows at most ${share(cores)} (its own bound from the same CPU figures, ${n0(ceiling)}/s; ` +
      `measured wall ceiling ${n0(wire.pbx.perSec)}/s); with parse, map and prepare on the main thread as now, ${share(1e6 / main)}. ` +
      `The app's writer (${us(f.deferred).toFixed(1)} µs per call) bounds the sync at ${share(app.rate)}, by ${app.why}. ` +
      (cores / ceiling < LOOPBACK_RATIO
        ? `The goal (${LOOPBACK_RATIO}) is out of reach on this machine whatever is deferred or moved to other threads.`
        : `A bare writer would leave room for the goal (${LOOPBACK_RATIO}): the gap is the writer's key, indexes, FTS and totals (${(us(f.deferred) - us(f.bare)).toFixed(1)} µs per call over a bare INSERT).`),
  ];
}

function latencyTable(r: BenchResults): string[] {
  if (!r.latency?.length) return [];
  // A run recorded before the floor was measured has none.
  const floor = (x: LatencyFigure) => (x.ratioBound === undefined ? '' : `${x.syncCpuSeconds.toFixed(1)} | ${x.floorSeconds.toFixed(1)} | ${x.ratioBound.toFixed(2)}`);
  const goal = (x: LatencyFigure) => {
    if (x.ratio >= LATENCY_GOAL) return verdict(true);
    return x.ratioBound !== undefined && x.ratioBound < LATENCY_GOAL ? `${verdict(false)}; the floor allows ${x.ratioBound.toFixed(2)}` : verdict(false);
  };
  return [
    '## Sync at real latency',
    '',
    'Each request to the simulator answered after the latency shown. Bare client: the same requests with the same concurrency as the adapter, parsed, nothing stored (bench/wire-ceiling.ts). Ratio: the bare client\'s time over a first sync\'s, same calls.',
    '',
    ...(r.latency.some((x) => x.ratios)
      ? ['Runs: each pair (the bare client, then the sync) ran the number of times shown; the row is the run with the median ratio, and the ratio column gives every run\'s, in the order run. One run\'s ratio moves with what else the machine does.', '']
      : []),
    `Floor: the CPU time of every thread during the sync (main, writer, and the simulator, which runs on this machine where a provider's server would not) over ${r.machine.cores} cores. No sync of these calls ends sooner here; the bare client's time over it is the best ratio this machine allows.`,
    '',
    'After the last answer: the part of the sync after the provider\'s last answer came in, when only the writer thread is left (the commits it has not caught up with, then the search tail indexed); the bare client ends at its last answer.',
    '',
    `| provider | latency | calls | bare client s | sync s | of it after the last answer s | ratio${r.latency.some((x) => x.ratios) ? ' (every run)' : ''} | CPU s, every thread | floor s | ratio at the floor | goal ≥ ${LATENCY_GOAL} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.latency.map((x) => `| ${x.provider} | ${x.latencyMs} ms | ${n0(x.calls)} | ${x.bareSeconds.toFixed(1)} | ${x.syncSeconds.toFixed(1)} | ${x.afterLastAnswerSeconds === undefined ? '' : x.afterLastAnswerSeconds.toFixed(2)} | ${x.ratio.toFixed(2)}${everyRun(x.ratios, (v) => v.toFixed(2))} | ${floor(x) || ' | | '} | ${goal(x)} |`),
  ];
}

function combosTable(r: BenchResults): string[] {
  const c = r.combos;
  if (!c) return [];
  const worst = c.worst;
  return [
    '## Any filter combination',
    '',
    `${n0(c.count)} random combinations of every filter and sort (seed ${c.seed}, bench/filter-combos.ts) over ${n0(c.calls)} calls, ${(c.timedRuns ?? 1) > 1 ? `each run once to warm, then the median of ${c.timedRuns} runs,` : 'each run once warm'} on a memory-mapped connection, as the app's read thread reads (ms).`,
    '',
    '| figure | p50 | p95 | max | CPU p50 / p95 | goal |',
    '| --- | --- | --- | --- | --- | --- |',
    `| first page | ${ms(c.page.p50)} | ${ms(c.page.p95)} | ${ms(c.page.max)} | ${ms(c.pageCpu.p50)} / ${ms(c.pageCpu.p95)} | p95 < 50: ${verdict(c.page.p95 < 50)} |`,
    `| exact total | ${ms(c.total.p50)} | ${ms(c.total.p95)} | ${ms(c.total.max)} | ${ms(c.totalCpu.p50)} / ${ms(c.totalCpu.p95)} | p95 < 200: ${verdict(c.total.p95 < 200)} |`,
    '',
    `Worst combination: \`${worst.label}\` (first page ${ms(worst.pageMs)} ms, exact total ${ms(worst.totalMs)} ms, ${n0(worst.matches)} matches).`,
    '',
    'The slowest five by first page + total:',
    '',
    '| combination | matches | first page ms | total ms |',
    '| --- | --- | --- | --- |',
    ...c.slowest.map((x) => `| \`${x.label}\` | ${n0(x.matches)} | ${ms(x.pageMs)} | ${ms(x.totalMs)} |`),
    ...comboFloors(c),
  ];
}

/** The first page's floor, measured in the run (bench/filter-combos.ts): absent from results of older runs. */
function comboFloors(c: ComboResults): string[] {
  if (!c.pageFloor || !c.floors) return [];
  return [
    '',
    `First page floor: ${c.pageFloor.over} combinations took ${PAGE_GOAL_MS} ms of CPU or more. For each, the run measured what SQLite alone`,
    'takes to read the sort value of every match (the cost of any plan that does not walk an index in the sort order; a',
    'walk finds the page sooner only when the matches are spread along that order) and to list its free text\'s matches in',
    'the FTS index (which every plan with free text needs but such a walk testing each call\'s own text, taken when a sample',
    `of the calls shows the filter common); ${c.pageFloor.floorsOverGoal} of them have that floor over the goal. CPU p95 with each`,
    `at the smaller of its time and its floor: ${ms(c.pageFloor.p95)} ms. The ten slowest:`,
    '',
    '| combination | first page CPU ms | floor CPU ms | floor |',
    '| --- | --- | --- | --- |',
    ...c.floors.map((x) => `| \`${x.label}\` | ${ms(x.pageCpuMs)} | ${ms(x.floor!.cpuMs)} | ${x.floor!.reason} |`),
  ];
}

function cliTable(r: BenchResults): string[] {
  const c = r.cli;
  if (!c) return [];
  // A run recorded before the search command's modules were timed has no floor.
  const floor = (x: CliFigures['commands'][number]) => (x.searchAlone && c.searchModules ? c.searchModules.p50 + x.searchAlone.p50 : null);
  const goal = (x: CliFigures['commands'][number]) => {
    const f = floor(x);
    return x.p95 < x.goal || f === null || f < x.goal ? `< ${x.goal}: ${verdict(x.p95 < x.goal)}` : `< ${x.goal}: ${verdict(false)}; floor ${ms(f)}`;
  };
  return [
    '## Cold command line',
    '',
    `A new \`node bin/cdr-desk.js\` process each run (${c.runs} runs after one that fills the compile cache), wall time to its exit (ms), over the bench cache. Floor: \`node -e ""\` (Node's own start) p50 ${ms(c.nodeFloor.p50)} ms. The search alone: opening the cache and the same search (page and exact total) in a new process, its modules already loaded; the command's time is about Node's start, loading its modules, and this.`,
    ...(c.searchModules ? ['', `Node's start and the search command's modules (\`cdr-desk search --help\`, which opens no cache) take p50 ${ms(c.searchModules.p50)} ms, p95 ${ms(c.searchModules.p95)}: with the search alone, the floor of each search as the command is built.`] : []),
    '',
    '| command | p50 | p95 | the search alone p50 / p95 | floor p50 | goal |',
    '| --- | --- | --- | --- | --- | --- |',
    ...c.commands.map((x) => `| \`cdr-desk ${x.args.join(' ')}\` | ${ms(x.p50)} | ${ms(x.p95)} | ${x.searchAlone ? `${ms(x.searchAlone.p50)} / ${ms(x.searchAlone.p95)}` : '-'} | ${floor(x) === null ? '-' : ms(floor(x)!)} | ${goal(x)} |`),
  ];
}

function searchTable(r: BenchResults): string[] {
  if (!r.searchSummary) return [];
  const rows = r.searchSummary.rows;
  const like = new Map((r.like ?? []).map((l) => [l.label, l]));
  const out = [
    '## Search and summaries (the fixed set)',
    '',
    'In one process, the cache file memory-mapped as the app\'s read thread and the reading commands open it.',
    '',
    `| search (${r.searchSummary.runs} runs after a warm-up) | matches | first page p50 / p95 ms | exact total p50 / p95 ms | LIKE scan page / total ms | target page p95 < 50, total < 200 |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const page of rows.filter((x) => x.what.startsWith('search first page: '))) {
    const label = page.what.slice('search first page: '.length);
    const total = rows.find((x) => x.what === `exact total: ${label}`);
    const l = like.get(label);
    const ok = page.p95 < page.target && (!total || total.p95 < total.target);
    out.push(`| ${label} | ${n0(Number(page.matches))} | ${ms(page.p50)} / ${ms(page.p95)} | ${total ? `${ms(total.p50)} / ${ms(total.p95)}` : ''} | ${l ? `${ms(l.pageMs)} / ${ms(l.totalMs)}` : ''} | ${verdict(ok)} |`);
  }
  const others = rows.filter((x) => !x.what.startsWith('search first page: ') && !x.what.startsWith('exact total: '));
  out.push('', '| summaries and other reads | p50 / p95 ms | CPU p50 ms | target |', '| --- | --- | --- | --- |');
  for (const x of others) {
    const goal = x.floor ? `floor: ${x.floor}` : `< ${n0(x.target)}: ${verdict(x.p95 < x.target)}`;
    out.push(`| ${x.floor ? `↳ ${x.what.trim()}` : x.what} | ${ms(x.p50)} / ${ms(x.p95)} | ${ms(x.cpu50)} | ${goal} |`);
  }
  return out;
}

/** The export targets (issue 6): CSV < 5 s and within 2x of the sqlite3 floor, XLSX < 30 s, both < 300 MB. */
function exportVerdict(m: ExportMeasure, floor: ExportMeasure | undefined): string {
  const rss = m.maxRssMB !== null && m.maxRssMB < 300;
  if (m.label.endsWith(' csv')) {
    const ratio = floor ? m.seconds / floor.seconds : NaN;
    return `< 5 s: ${verdict(m.seconds < 5)}; ${ratio.toFixed(2)}x the floor (≤ 2x): ${verdict(ratio <= 2)}; < 300 MB: ${verdict(rss)}`;
  }
  if (m.label.endsWith(' xlsx')) return `< 30 s: ${verdict(m.seconds < 30)}; < 300 MB: ${verdict(rss)}`;
  return '';
}

function exportTable(r: BenchResults): string[] {
  const out: string[] = r.export?.cases.length ? ['', '## Export'] : [];
  for (const c of r.export?.cases ?? []) {
    const floor = c.measures.find((m) => m.label.startsWith('sqlite3'));
    out.push('', `| export of ${n0(c.calls)} calls, one account | wall s | CPU s | peak RSS MB | size MB | target |`, '| --- | --- | --- | --- | --- | --- |');
    for (const m of c.measures) {
      out.push(`| ${m.label} | ${m.seconds.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${m.maxRssMB === null ? '' : n0(m.maxRssMB)} | ${m.bytes ? (m.bytes / 1e6).toFixed(0) : ''} | ${exportVerdict(m, floor)} |`);
    }
  }
  return out;
}

function rendererTable(r: BenchResults): string[] {
  const x = r.renderer;
  if (!x) return [];
  return [
    '',
    '## Renderer',
    '',
    '| renderer (Chromium headless, software raster) | figure |',
    '| --- | --- |',
    `| first contentful paint (median of 3 cold loads) | ${ms(x.firstContentfulPaintMs)} ms |`,
    `| first page of calls shown | ${ms(x.firstRowsMs)} ms |`,
    `| frame interval scrolling 2 rows a frame, p50 / p95 | ${ms(x.steadyScroll.p50Ms)} / ${ms(x.steadyScroll.p95Ms)} ms |`,
    `| scrollbar jump → real rows, p50 / p95 | ${ms(x.jumpToRowsMs.p50)} / ${ms(x.jumpToRowsMs.p95)} ms |`,
    `| renderer process memory (PSS) | ${x.rendererPssMb ?? '?'} MB |`,
  ];
}

export function performanceDoc(r: BenchResults): string {
  const m = r.machine;
  return [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` (bench/report.ts) from bench/results.json: do not edit by hand. -->',
    '',
    `Run of ${r.date.slice(0, 10)} (\`npm run bench\`, ${n0(r.seconds)} s in all${r.scale !== 1 ? `, scale ${r.scale}` : ''}): ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB,`,
    `${m.platform}, Node ${m.node}, SQLite ${m.sqlite}; load average ${m.loadAverageAtStart.toFixed(1)} at the start. Cache: ${n0(r.cache?.calls ?? 0)} calls synced from the simulators`,
    `(${(r.cache?.accounts ?? []).map((a) => `${a.name} ${n0(a.calls)}`).join(', ')}). Every figure is in \`bench/results.json\`.`,
    '',
    ...syncTable(r),
    '',
    ...latencyTable(r),
    '',
    ...searchTable(r),
    '',
    ...tailTable(r.searchTail),
    '',
    ...combosTable(r),
    '',
    ...cliTable(r),
    ...exportTable(r),
    ...rendererTable(r),
    '',
  ].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** `node bench/report.ts`: docs/performance.md again from bench/results.json (after a change to this file). */
if (import.meta.main) {
  const results = JSON.parse(readFileSync(join(import.meta.dirname, 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(PERFORMANCE_DOC, performanceDoc(results));
}
