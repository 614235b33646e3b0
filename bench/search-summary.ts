// Search and summary speed over the cache `npm run bench` builds by syncing from the simulators (issue 4 and 5
// targets; 1,250,000 calls at full scale). Not part of `npm test`.
//   node bench/search-summary.ts [DATA_DIR] [--json FILE]   (default /tmp/cdr-desk-bench-sync; built first with
//                                                            bench/build-cache.ts when missing)
// Prints one table of p50/p95/max and CPU p50 in ms; bench/run.ts writes the figures into docs/performance.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ratesFromTable } from '../electron/data/costs/rates.ts';
import type { SearchFilter } from '../electron/shared/filter.ts';
import { importRates, setBilling } from '../electron/data/costs/store.ts';
import { search, searchPage, searchTotal } from '../electron/data/search/search.ts';
import { comparePeriods, hourWeekdayMatrix, summarize } from '../electron/data/summary/summary.ts';
import { openWorkspaceForReading } from '../electron/data/workspace.ts';
import { ensureCache } from './build-cache.ts';
import { SEARCHES } from './search-summary-queries.ts';
import { FLOOR_WHY, FLOORS_OF, floorRun, type FloorOf } from './search-summary-floor.ts';

const TARGETS = { page: 50, total: 200, summary: 200, matrix: 300 };
const RUNS = 15;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'string' } } });
const dir = positionals[0] ?? '/tmp/cdr-desk-bench-sync';
await ensureCache(dir, (l) => console.error(l));
process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key');
// Mapped, as the app's read thread and the reading commands open the cache (db/open.ts, mapForReading).
const ws = openWorkspaceForReading(dir, { totals: true });
const calls = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;

/** Wall ms (p50, p95, max) and this process's CPU ms (p50): the machine is shared, CPU time is the steadier. */
function time(fn: () => unknown): { p50: number; p95: number; max: number; cpu50: number } {
  fn(); // warm the page cache and statement cache once
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const at = (xs: number[], q: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
  return { p50: at(ms, 0.5), p95: at(ms, 0.95), max: at(ms, 1), cpu50: at(cpu, 0.5) };
}

const rows: { what: string; matches: string; p50: number; p95: number; max: number; cpu50: number; target: number; floor?: string }[] = [];
function record(what: string, target: number, fn: () => unknown, matches = '') {
  rows.push({ what, matches, target, ...time(fn) });
}

/** Issue 20: a summary read from the calls, then its measured floors (search-summary-floor.ts) on the same filter. */
function recordWithFloors(what: string, of: FloorOf, filter: SearchFilter, fn: () => unknown) {
  record(what, TARGETS.summary, fn);
  if (rows[rows.length - 1]!.p95 < TARGETS.summary) return; // a goal met needs no floor
  for (const kind of FLOORS_OF[of]) {
    rows.push({ what: `  floor (${kind}) of the above`, matches: '', target: TARGETS.summary, floor: FLOOR_WHY[kind], ...time(floorRun(ws, filter, of, kind)) });
  }
}

// The UI asks for the first page (100 rows) and the exact total as two requests (the rows show first), so each
// is timed on its own; `search()` (the CLI) does both. The set is in search-summary-queries.ts.
for (const [name, filter, sort] of SEARCHES) {
  const total = searchTotal(ws, filter);
  record(`search first page: ${name}`, TARGETS.page, () => searchPage(ws, { filter, sort, limit: 100 }), String(total));
}
{
  const first = searchPage(ws, { filter: {}, limit: 100 });
  record('search page 2 by cursor, no filter', TARGETS.page, () => searchPage(ws, { filter: {}, limit: 100, after: first.next! }));
  const acc = searchPage(ws, { filter: { accounts: ['Pune Voice'] }, limit: 100 });
  record('search page 2 by cursor, one account', TARGETS.page, () => searchPage(ws, { filter: { accounts: ['Pune Voice'] }, limit: 100, after: acc.next! }));
}

for (const [name, filter] of SEARCHES.filter(([, , sort]) => !sort)) {
  record(`exact total: ${name}`, TARGETS.total, () => searchTotal(ws, filter));
}
record('exact total: direction + duration (no index)', TARGETS.total, () => searchTotal(ws, { direction: 'out', minDuration: 30 }));
record('CLI page + total: text + account + month', TARGETS.page + TARGETS.total, () => search(ws, { filter: SEARCHES.find(([n]) => n === 'text + account + month')![1], limit: 100 }));

record('summary by campaign, all', TARGETS.summary, () => summarize(ws, { filter: {}, by: 'campaign' }));
// The same read from the calls, as any filter the running totals do not hold (text, phone, window, duration) is.
record('summary by campaign, all, read from the calls', TARGETS.summary, () => summarize(ws, { filter: {}, by: 'campaign', readCalls: true }));
record('summary by campaign, one account', TARGETS.summary, () => summarize(ws, { filter: { accounts: ['Saigon Autocall'] }, by: 'campaign' }));
record('summary by day, each account\'s zone', TARGETS.summary, () => summarize(ws, { filter: {}, by: 'day' }));
recordWithFloors('summary by day, each account\'s zone, read from the calls', 'day', {}, () => summarize(ws, { filter: {}, by: 'day', readCalls: true }));
// Bucharest PBX's own zone: its hours come from its totals, the other accounts' from their calls (groups.ts, splitByZone).
recordWithFloors('summary by hour, --tz Europe/Bucharest', 'hour', {}, () => summarize(ws, { filter: {}, by: 'hour', tz: 'Europe/Bucharest' }));
recordWithFloors('summary by hour, --tz UTC (no account\'s zone: from the calls)', 'hour', {}, () => summarize(ws, { filter: {}, by: 'hour', tz: 'UTC' }));
record('summary by agent, one month', TARGETS.summary, () => summarize(ws, { filter: { from: '2024-04-01', to: '2024-04-30' }, by: 'agent' }));
record('hour-by-weekday matrix, all', TARGETS.matrix, () => hourWeekdayMatrix(ws, { filter: {} }));
// Issue 20: the heatmap read from the calls (any filter the totals cannot serve) < 200 ms, like the summaries.
recordWithFloors('hour-by-weekday matrix, all, read from the calls', 'matrix', {}, () => hourWeekdayMatrix(ws, { filter: {}, readCalls: true }));
recordWithFloors('hour-by-weekday matrix, min duration 60 (from the calls)', 'matrix', { minDuration: 60 }, () => hourWeekdayMatrix(ws, { filter: { minDuration: 60 } }));
record('summary by campaign, text popescu (from the calls)', TARGETS.summary, () => summarize(ws, { filter: { text: 'popescu' }, by: 'campaign' }));
record('summary by day, one month + answered (from the calls)', TARGETS.summary, () => summarize(ws, { filter: { from: '2024-06-01', to: '2024-06-30', statuses: ['answered'] }, by: 'day' }));
record('hour-by-weekday matrix, one account', TARGETS.matrix, () => hourWeekdayMatrix(ws, { filter: { accounts: ['Tehran Dialer'] } }));
record('compare periods (month vs month before)', TARGETS.summary * 2, () => comparePeriods(ws, { filter: { from: '2024-06-01', to: '2024-06-30' } }));

// Cost (issue 18): the million-call account gets a rate card (prefix history, every increment style); pricing
// all its calls is timed once (a card import does it), then the summaries read cost as well.
const PRICED = 'Bucharest PBX';
setBilling(ws.db, PRICED, { currency: 'RON' });
const card = ratesFromTable([
  ['prefix', 'per_minute', 'increment', 'connect_fee', 'min_seconds', 'effective_from'],
  ['', '0.02', '60/60', '0', '', '2024-01-01'],
  ['07', '0.06', '1/1', '0.01', '', '2024-01-01'],
  ['07', '0.08', '1/1', '0.01', '', '2024-07-01'],
  ['02', '0.03', '30/6', '0', '10', '2024-01-01'],
  ['40', '0.05', '60/1', '0.005', '', '2024-01-01'],
].map((cells, i) => ({ line: i + 1, cells })), PRICED, 'bench');
const pricingStart = performance.now();
importRates(ws.db, PRICED, card, { replace: true });
const pricingMs = performance.now() - pricingStart;
const priced = ws.db.prepare('SELECT count(*) FROM cdrs WHERE cost IS NOT NULL').pluck().get() as number;
record('summary by campaign with cost, all (totals)', TARGETS.summary, () => summarize(ws, { filter: {}, by: 'campaign' }));
record('summary by campaign with cost, priced account, read from the calls', TARGETS.summary, () => summarize(ws, { filter: { accounts: [PRICED] }, by: 'campaign', readCalls: true }));
record('summary by day with cost, one month (from the calls)', TARGETS.summary, () => summarize(ws, { filter: { accounts: [PRICED], from: '2024-06-01', to: '2024-06-30' }, by: 'day' }));
record('search first page: cost 0.50..1.00', TARGETS.page, () => searchPage(ws, { filter: { minCost: 0.5, maxCost: 1 }, limit: 100 }), String(searchTotal(ws, { minCost: 0.5, maxCost: 1 })));

const w = Math.max(...rows.map((r) => r.what.length));
const f = (n: number) => n.toFixed(1).padStart(7);
console.log(`${calls} cached calls, ${RUNS} runs each after one warm-up (ms)\n`);
console.log(`${'query'.padEnd(w)}  ${'matches'.padStart(8)}      p50      p95      max  cpu p50  target`);
for (const r of rows) {
  const verdict = r.floor ? `floor: ${r.floor}` : `${r.p95 <= r.target ? 'ok' : 'OVER'} <${r.target}`;
  console.log(`${r.what.padEnd(w)}  ${r.matches.padStart(8)}  ${f(r.p50)}  ${f(r.p95)}  ${f(r.max)}  ${f(r.cpu50)}  ${verdict}`);
}
console.log(`\npricing ${priced} calls of ${PRICED} (rate card import, totals recounted): ${pricingMs.toFixed(0)} ms once`);
if (values.json) writeFileSync(values.json, JSON.stringify({ calls, runs: RUNS, rows, pricing: { calls: priced, ms: pricingMs } }));
ws.close();
