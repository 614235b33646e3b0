// The search tail at its largest (issue 20): a cache of `base` indexed calls plus a tail of TAIL_ROWS_MAX - 1
// calls written by a deferring CdrWriter (the most a search ever scans: one more and the writer indexes it), then
// the same searches with the tail, and after indexing it in bulk (timed too).
//   node bench/search-tail.ts [--base 20000] [--runs 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CdrWriter } from '../electron/data/db/cdrs.ts';
import { searchPage, searchTotal } from '../electron/data/search/search.ts';
import { indexTail, tailSize, TAIL_ROWS_MAX } from '../electron/data/search/tail.ts';
import type { NormalizedCdr } from '../electron/shared/cdr.ts';
import type { SearchFilter } from '../electron/shared/filter.ts';
import { openWorkspace } from '../electron/data/workspace.ts';
import { addSyntheticAccount, SYNTHETIC_ACCOUNTS, syntheticCdrs } from '../test/helpers/synthetic.ts';

export interface TailTiming {
  label: string;
  matches: number;
  /** Medians of `runs`: first page (100 rows) and exact total, with the tail unindexed and after indexing it. */
  tail: { pageMs: number; totalMs: number };
  indexed: { pageMs: number; totalMs: number };
}

export interface TailBenchResult {
  base: number;
  tail: number;
  runs: number;
  /** Seconds to index the whole tail in bulk (both FTS indexes, one transaction). */
  indexSeconds: number;
  searches: TailTiming[];
}

const SEARCHES: { label: string; filter: SearchFilter }[] = [
  { label: 'text: a common surname', filter: { text: 'popescu' } },
  { label: 'text: a 3-letter prefix', filter: { text: 'ngu' } },
  { label: 'text: two words', filter: { text: 'nguyen van' } },
  { label: 'text: a Persian surname', filter: { text: 'کریمی' } },
  { label: 'text + status', filter: { text: 'sharma', statuses: ['answered'] } },
  { label: 'phone: 4 digits', filter: { phone: '0722' } },
  { label: 'text that looks like a number', filter: { text: '0912' } },
];

function median(fn: () => unknown, runs: number): number {
  const ms: number[] = [];
  fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

export async function runTailBench(base: number, runs: number, log: (line: string) => void): Promise<TailBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cdr-bench-tail-'));
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key'); // placeholder secrets only
  const ws = openWorkspace(dir);
  try {
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2026, 0, 1);
    const parts = SYNTHETIC_ACCOUNTS.length;
    const plain = new CdrWriter(ws.db);
    const deferring = new CdrWriter(ws.db, { deferIndex: true });
    const tailRows = TAIL_ROWS_MAX - 1;
    const older = Math.ceil(base / parts);
    const accounts: { id: number; newer: NormalizedCdr[] }[] = [];
    for (const [i, a] of SYNTHETIC_ACCOUNTS.entries()) {
      const id = await addSyntheticAccount(ws, a);
      const calls = [...syntheticCdrs({ script: a.script, timezone: a.timezone, count: older + Math.ceil(tailRows / parts), seed: 30 + i, from, to })];
      ws.db.transaction(() => plain.write(id, calls.slice(0, older)))();
      accounts.push({ id, newer: calls.slice(older) });
    }
    // The tail: each account's newest calls, in the deferring writer's batches, up to one call short of the limit.
    for (const { id, newer } of accounts) {
      const mine = newer.slice(0, tailRows - tailSize(ws.db));
      for (let at = 0; at < mine.length; at += 2000) ws.db.transaction(() => deferring.write(id, mine.slice(at, at + 2000)))();
    }
    const tail = tailSize(ws.db);
    log(`${base.toLocaleString('en-US')} indexed calls and a tail of ${tail.toLocaleString('en-US')} (TAIL_ROWS_MAX ${TAIL_ROWS_MAX.toLocaleString('en-US')})`);
    const time = (filter: SearchFilter) => ({
      pageMs: median(() => searchPage(ws, { filter, limit: 100 }), runs),
      totalMs: median(() => searchTotal(ws, filter), runs),
    });
    const withTail = SEARCHES.map((s) => ({ ...s, matches: searchTotal(ws, s.filter), tail: time(s.filter) }));
    const t0 = performance.now();
    indexTail(ws.db);
    const indexSeconds = (performance.now() - t0) / 1000;
    log(`the tail indexed in bulk in ${indexSeconds.toFixed(2)} s`);
    const searches = withTail.map((s) => {
      if (searchTotal(ws, s.filter) !== s.matches) throw new Error(`bench search-tail: "${s.label}" found other calls once the tail was indexed`);
      const r: TailTiming = { label: s.label, matches: s.matches, tail: s.tail, indexed: time(s.filter) };
      log(`${r.label}: ${r.matches} matches; with the tail page ${r.tail.pageMs.toFixed(1)} ms, total ${r.tail.totalMs.toFixed(1)} ms; indexed page ${r.indexed.pageMs.toFixed(1)} ms, total ${r.indexed.totalMs.toFixed(1)} ms`);
      return r;
    });
    return { base, tail, runs, indexSeconds, searches };
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));

/** The docs/performance.md section (bench/report.ts). */
export function tailTable(r: TailBenchResult | undefined): string[] {
  if (!r) return [];
  return [
    '## Search over the deferred tail at its largest',
    '',
    `${r.base.toLocaleString('en-US')} indexed calls and ${r.tail.toLocaleString('en-US')} written by a large sync's writer without FTS entries (one below TAIL_ROWS_MAX, the most a`,
    `search scans one by one). Medians of ${r.runs} runs. The tail was then indexed in bulk in ${r.indexSeconds.toFixed(2)} s.`,
    '',
    '| search | matches | with the tail: page / total ms | tail indexed: page / total ms | target page p95 < 50, total < 200 |',
    '| --- | --- | --- | --- | --- |',
    ...r.searches.map((s) => `| ${s.label} | ${s.matches.toLocaleString('en-US')} | ${ms(s.tail.pageMs)} / ${ms(s.tail.totalMs)} | ${ms(s.indexed.pageMs)} / ${ms(s.indexed.totalMs)} | ${s.tail.pageMs < 50 && s.tail.totalMs < 200 ? 'met' : '**not met**'} (medians) |`),
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { base: { type: 'string' }, runs: { type: 'string' } } });
  await runTailBench(Number(values.base ?? 20_000), Number(values.runs ?? 5), (l) => console.log(l));
}
