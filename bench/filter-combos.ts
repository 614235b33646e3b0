// Any filter combination (issue 20): a seeded set of random filter combinations over the bench cache, every filter
// and every sort field in it at least once, values taken from the cached calls themselves (account names,
// campaigns, words of their text, fragments of their numbers). Each combination's first page and exact total are
// run once to warm, then timed TIMED_RUNS times and their median kept: on a shared machine one run in a few is
// slowed by others, and the tail of 200 single runs was mostly such runs. The figures are p50/p95/max over the set,
// and the worst is named.
// Each combination whose first page misses its goal gets its floor measured in the same run: what SQLite alone
// takes to read the sort value of every matching call (what a page costs when no index lists the filter's calls
// in the sort order) and to list its text's matches in the FTS index (which any plan with free text needs but a
// walk of the sort order testing each call's own text, search/dense.ts, which pays only for a common filter).
//   node bench/filter-combos.ts [DATA_DIR] [--count 200] [--seed 20] [--json FILE]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from 'better-sqlite3';
import { seededRng, type Rng } from '../electron/data/providers/simulation/random.ts';
import { compileFilterDetail, listAccounts } from '../electron/data/search/filter.ts';
import { words } from '../electron/data/search/normalize.ts';
import { searchPage, searchTotal } from '../electron/data/search/search.ts';
import { sortPlan, parseSort } from '../electron/data/search/sort.ts';
import { openWorkspaceForReading, type Workspace } from '../electron/data/workspace.ts';
import { CALL_STATUSES } from '../electron/shared/cdr.ts';
import { SORT_FIELDS, type SearchFilter, type SortSpec } from '../electron/shared/filter.ts';
import { BENCH_SPAN, ensureCache } from './build-cache.ts';

export const COMBO_COUNT = 200;
export const COMBO_SEED = 20;

export interface ComboTiming {
  label: string;
  matches: number;
  pageMs: number;
  totalMs: number;
  /** This process's CPU for each (the machine may be shared: CPU time is the steadier figure). */
  pageCpuMs: number;
  totalCpuMs: number;
  sort: string;
  /** Set when the first page missed its goal: the floor measured for it (module header). */
  floor?: ComboFloor;
}

export interface ComboFloor {
  /** SQLite alone reading the sort value of every match (`SELECT max(+sort) ... WHERE filter`), CPU ms. */
  sortValuesCpuMs: number;
  /** Listing the free text's matches in the FTS index, CPU ms (0 without free text). */
  textCpuMs: number;
  /** The larger of the two, and what it is. */
  cpuMs: number;
  reason: string;
}

/** The first page's goal (issue 20): p95 under this many ms. */
export const PAGE_GOAL_MS = 50;

export interface ComboResults {
  calls: number;
  count: number;
  seed: number;
  /** Timed runs per combination, their median kept (absent from results of older runs: one). */
  timedRuns?: number;
  page: { p50: number; p95: number; max: number };
  total: { p50: number; p95: number; max: number };
  pageCpu: { p50: number; p95: number; max: number };
  totalCpu: { p50: number; p95: number; max: number };
  worst: ComboTiming;
  slowest: ComboTiming[];
  /** First page CPU per sort field (default: startedAt:desc). */
  bySort: { sort: string; count: number; p50: number; p95: number; max: number }[];
  /**
   * The first page's CPU p95 if every combination over the goal took only its measured floor (the others as
   * measured), and how many of those have a floor over the goal themselves.
   */
  pageFloor?: { p95: number; over: number; floorsOverGoal: number };
  /** The ten slowest first pages over the goal, with their floors. */
  floors?: ComboTiming[];
}

const FILTER_KINDS = ['accounts', 'text', 'statuses', 'campaign', 'direction', 'phone', 'window', 'tz', 'minDuration', 'maxDuration'] as const;
type FilterKind = (typeof FILTER_KINDS)[number];

/** What the combinations draw their values from: the cache's own accounts, campaigns, words and numbers. */
interface Pools {
  accounts: string[];
  campaigns: string[];
  words: string[];
  digits: string[];
}

export function pools(db: Database, rng: Rng): Pools {
  const lo = db.prepare('SELECT min(id) FROM cdrs').pluck().get() as number;
  const hi = db.prepare('SELECT max(id) FROM cdrs').pluck().get() as number;
  // Ordered, so the draw does not depend on the index SQLite picks (an index led by the account lists calls account by account).
  const row = db.prepare('SELECT search_text, phone_digits FROM cdrs WHERE id >= ? ORDER BY id LIMIT 1');
  const out: Pools = {
    accounts: listAccounts(db).map((a) => a.name),
    campaigns: db.prepare('SELECT DISTINCT campaign FROM cdrs WHERE campaign IS NOT NULL ORDER BY campaign').pluck().all() as string[],
    words: [],
    digits: [],
  };
  for (let i = 0; i < 400; i++) {
    const r = row.get(rng.int(lo, hi)) as { search_text: string; phone_digits: string } | undefined;
    if (!r) continue;
    const ws = words(r.search_text).filter((w) => w.length >= 3 && !/^\d+$/.test(w));
    if (ws.length) out.words.push(rng.pick(ws));
    const numbers = r.phone_digits.split(/\s+/).filter((d) => d.length >= 6);
    if (numbers.length) {
      const n = rng.pick(numbers);
      const len = rng.int(3, 7);
      const at = rng.int(0, n.length - len);
      out.digits.push(n.slice(at, at + len));
    }
  }
  return out;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function addFilter(f: SearchFilter, kind: FilterKind, p: Pools, rng: Rng): void {
  switch (kind) {
    case 'accounts':
      f.accounts = [...new Set(Array.from({ length: rng.int(1, 2) }, () => rng.pick(p.accounts)))];
      break;
    case 'text':
      f.text = Array.from({ length: rng.int(1, 2) }, () => rng.pick(p.words)).join(' ');
      break;
    case 'statuses':
      f.statuses = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(CALL_STATUSES)))];
      break;
    case 'campaign':
      f.campaign = rng.pick(p.campaigns);
      break;
    case 'direction':
      f.direction = rng.pick(['in', 'out'] as const);
      break;
    case 'phone':
      f.phone = rng.pick(p.digits);
      break;
    case 'window':
    case 'tz': {
      const span = rng.pick([1, 7, 31, 92]);
      const start = rng.int(BENCH_SPAN.start, BENCH_SPAN.end - span * 86_400_000);
      f.from = day(start);
      f.to = day(start + (span - 1) * 86_400_000);
      if (kind === 'tz') f.tz = rng.pick(['UTC', 'Asia/Tehran', 'Europe/Bucharest', 'Asia/Ho_Chi_Minh']);
      break;
    }
    case 'minDuration':
      f.minDuration = rng.pick([5, 30, 60, 120, 300]);
      if (f.maxDuration !== undefined && f.maxDuration < f.minDuration) f.maxDuration = f.minDuration + 60;
      break;
    case 'maxDuration':
      f.maxDuration = Math.max(f.minDuration ?? 0, rng.pick([10, 60, 180, 600]));
      break;
  }
}

/** `count` combinations: the first ones go through every filter kind and every sort, the rest are free draws. */
export function generateCombos(p: Pools, count: number, seed: number): { filter: SearchFilter; sort?: SortSpec }[] {
  const rng = seededRng(seed);
  const out: { filter: SearchFilter; sort?: SortSpec }[] = [];
  for (let i = 0; i < count; i++) {
    const filter: SearchFilter = {};
    const kinds = new Set<FilterKind>();
    if (i < FILTER_KINDS.length) kinds.add(FILTER_KINDS[i]!);
    const more = rng.int(i < FILTER_KINDS.length ? 0 : 1, 3);
    for (let k = 0; k < more; k++) kinds.add(rng.pick(FILTER_KINDS));
    for (const k of kinds) addFilter(filter, k, p, rng);
    const sortField = i < SORT_FIELDS.length * 2 ? SORT_FIELDS[i % SORT_FIELDS.length] : rng.next() < 0.4 ? undefined : rng.pick(SORT_FIELDS);
    const sort = sortField ? { field: sortField, desc: i < SORT_FIELDS.length * 2 ? i >= SORT_FIELDS.length : rng.next() < 0.5 } : undefined;
    out.push(sort ? { filter, sort } : { filter });
  }
  return out;
}

export function comboLabel(c: { filter: SearchFilter; sort?: SortSpec }): string {
  const f = JSON.stringify(c.filter);
  return c.sort ? `${f} sort ${c.sort.field}${c.sort.desc ? ':desc' : ''}` : f;
}

const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const spread = (xs: number[]) => ({ p50: at(xs, 0.5), p95: at(xs, 0.95), max: at(xs, 1) });

/** Timed runs of each measured call, after one to warm: the median of each figure is kept. */
export const TIMED_RUNS = 3;

function timedOnce<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(c);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/** `fn` run TIMED_RUNS times (warmed by the caller): the median wall and CPU time, and the last value. */
function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const runs = Array.from({ length: TIMED_RUNS }, () => timedOnce(fn));
  return { ms: at(runs.map((r) => r.ms), 0.5), cpuMs: at(runs.map((r) => r.cpuMs), 0.5), value: runs[runs.length - 1]!.value };
}

/**
 * What a page of this combination costs SQLite at least, without a walk in the sort order (module header).
 * Measured as everything else here: once to warm, then the median of TIMED_RUNS.
 */
function floorOf(ws: Workspace, c: { filter: SearchFilter; sort?: SortSpec }): ComboFloor {
  const f = compileFilterDetail(ws, c.filter);
  const plan = sortPlan(parseSort(c.sort), [...f.accountsById.values()]);
  const read = ws.db.prepare(`SELECT count(*), max(+${plan.expr}) FROM cdrs WHERE ${f.where}`);
  read.get(...f.params);
  const sortValues = timed(() => read.get(...f.params));
  const texts = f.matches.filter((m) => m.table === 'cdrs_fts').map((m) => ws.db.prepare('SELECT count(*) FROM cdrs_fts WHERE cdrs_fts MATCH ?').bind(m.query));
  texts.forEach((t) => t.get());
  const text = timed(() => texts.forEach((t) => t.get()));
  const bySort = sortValues.cpuMs >= text.cpuMs;
  return {
    sortValuesCpuMs: sortValues.cpuMs,
    textCpuMs: text.cpuMs,
    cpuMs: Math.max(sortValues.cpuMs, text.cpuMs),
    reason: bySort ? 'reading the sort value of every match' : 'listing the free text\'s matches in the FTS index',
  };
}

export function runCombos(dir: string, count = COMBO_COUNT, seed = COMBO_SEED): ComboResults {
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key');
  // Mapped, as the app's read thread and the reading commands open the cache (db/open.ts, mapForReading).
  const ws = openWorkspaceForReading(dir, { totals: true });
  try {
    const calls = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
    const combos = generateCombos(pools(ws.db, seededRng(seed)), count, seed);
    const timings: ComboTiming[] = combos.map((c) => {
      searchPage(ws, { filter: c.filter, sort: c.sort, limit: 100 }); // warm
      searchTotal(ws, c.filter);
      const page = timed(() => searchPage(ws, { filter: c.filter, sort: c.sort, limit: 100 }));
      const total = timed(() => searchTotal(ws, c.filter));
      const sort = c.sort ? `${c.sort.field}${c.sort.desc ? ':desc' : ''}` : 'startedAt:desc';
      const timing: ComboTiming = { label: comboLabel(c), matches: total.value, pageMs: page.ms, totalMs: total.ms, pageCpuMs: page.cpuMs, totalCpuMs: total.cpuMs, sort };
      if (page.cpuMs >= PAGE_GOAL_MS) timing.floor = floorOf(ws, c);
      return timing;
    });
    const sorts = [...new Set(timings.map((t) => t.sort))].sort();
    const bySort = sorts.map((sort) => {
      const cpu = timings.filter((t) => t.sort === sort).map((t) => t.pageCpuMs);
      return { sort, count: cpu.length, ...spread(cpu) };
    });
    const over = timings.filter((t) => t.floor);
    const atFloor = timings.map((t) => (t.floor ? Math.min(t.pageCpuMs, t.floor.cpuMs) : t.pageCpuMs));
    const slowest = [...timings].sort((a, b) => b.pageMs + b.totalMs - (a.pageMs + a.totalMs)).slice(0, 5);
    return {
      calls, count, seed, timedRuns: TIMED_RUNS,
      page: spread(timings.map((t) => t.pageMs)),
      total: spread(timings.map((t) => t.totalMs)),
      pageCpu: spread(timings.map((t) => t.pageCpuMs)),
      totalCpu: spread(timings.map((t) => t.totalCpuMs)),
      worst: slowest[0]!,
      slowest,
      bySort,
      pageFloor: { p95: at(atFloor, 0.95), over: over.length, floorsOverGoal: over.filter((t) => t.floor!.cpuMs >= PAGE_GOAL_MS).length },
      floors: over.sort((a, b) => b.pageCpuMs - a.pageCpuMs).slice(0, 10),
    };
  } finally {
    ws.close();
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { count: { type: 'string' }, seed: { type: 'string' }, json: { type: 'string' } } });
  const dir = positionals[0] ?? '/tmp/cdr-desk-bench-sync';
  await ensureCache(dir, (l) => console.error(l));
  const r = runCombos(dir, Number(values.count ?? COMBO_COUNT), Number(values.seed ?? COMBO_SEED));
  const f = (x: { p50: number; p95: number; max: number }) => `p50 ${x.p50.toFixed(1)}, p95 ${x.p95.toFixed(1)}, max ${x.max.toFixed(1)} ms`;
  console.log(`${r.count} combinations (seed ${r.seed}) over ${r.calls.toLocaleString('en-US')} calls`);
  console.log(`first page: ${f(r.page)} (goal p95 < 50)`);
  console.log(`exact total: ${f(r.total)} (goal p95 < 200)`);
  console.log(`CPU: first page ${f(r.pageCpu)}, exact total ${f(r.totalCpu)}`);
  for (const s of r.slowest) console.log(`slow: ${s.label}: ${s.matches} matches, page ${s.pageMs.toFixed(1)} ms, total ${s.totalMs.toFixed(1)} ms`);
  for (const b of r.bySort) console.log(`first page CPU by sort ${b.sort} (${b.count}): p50 ${b.p50.toFixed(1)}, p95 ${b.p95.toFixed(1)}, max ${b.max.toFixed(1)} ms`);
  console.log(`first page floor: ${r.pageFloor!.over} combinations over ${PAGE_GOAL_MS} ms CPU, ${r.pageFloor!.floorsOverGoal} of them with a floor over it too; CPU p95 with each at its floor ${r.pageFloor!.p95.toFixed(1)} ms`);
  for (const t of r.floors ?? []) {
    console.log(`  ${t.label}: page CPU ${t.pageCpuMs.toFixed(1)} ms, floor ${t.floor!.cpuMs.toFixed(1)} ms (${t.floor!.reason}; sort values ${t.floor!.sortValuesCpuMs.toFixed(1)}, text ${t.floor!.textCpuMs.toFixed(1)})`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(r));
}
