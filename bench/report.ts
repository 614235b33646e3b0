// bench/results.json's shape, and the README table made from it (between the two markers below), so the README
// only ever shows figures a run printed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LikeTiming } from './like-baseline.ts';
import type { Figure } from './measure.ts';
import type { SyncFigure } from './build-cache.ts';
import type { UpsertBenchResult } from './sync.ts';
import type { ResyncResult } from './resync.ts';

export const BEGIN = '<!-- bench/run.ts figures: begin -->';
export const END = '<!-- bench/run.ts figures: end -->';

export interface TimedRow {
  what: string;
  matches: string;
  p50: number;
  p95: number;
  max: number;
  cpu50: number;
  target: number;
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
  sync?: (SyncFigure & { wireCeilingPerSec: number | null; ratio: number | null })[];
  upsert?: UpsertBenchResult;
  /** A second sync with nothing new on the million-call account (bench/resync.ts). */
  resync?: ResyncResult;
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

function syncTable(r: BenchResults): string[] {
  const out = ['| sync from the simulator on loopback | calls | wall s | CDRs/s | per CPU-s (all its threads) | wire ceiling /s | ratio | target ≥ 20,000/s, ratio ≥ 0.6 |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const s of r.sync ?? []) {
    const ratio = s.ratio === null ? '' : s.ratio.toFixed(2);
    const ok = s.perSec >= 20_000 && (s.ratio === null || s.ratio >= 0.6);
    out.push(`| ${s.account} (${s.provider}, ${s.listing}) | ${n0(s.n)} | ${s.seconds.toFixed(1)} | ${n0(s.perSec)} | ${n0(s.perCpuSec)} | ${s.wireCeilingPerSec === null ? '' : n0(s.wireCeilingPerSec)} | ${ratio} | ${verdict(ok)} |`);
  }
  if (r.upsert) {
    const f = (label: string, x: Figure, target = '') => `| ${label} | ${n0(x.n)} | ${x.seconds.toFixed(1)} | ${n0(x.perSec)} | ${n0(x.perCpuSec)} | | | ${target} |`;
    const target = (x: Figure) => `≥ 100,000/s: ${verdict(x.perSec >= 100_000)}`;
    out.push(f('normalize alone (mapPbxRow)', r.upsert.normalize));
    out.push(f('upsert alone (CdrWriter, every index)', r.upsert.upsert));
    out.push(f('upsert, B-tree indexes dropped (their cost)', r.upsert.upsertWithoutBtree));
    out.push(f('normalize + upsert, one thread (a small sync)', r.upsert.normalizeUpsert, target(r.upsert.normalizeUpsert)));
    out.push(f('**normalize + upsert, pipelined** (a large sync: writer thread)', r.upsert.pipelined, target(r.upsert.pipelined)));
  }
  return out;
}

function searchTable(r: BenchResults): string[] {
  if (!r.searchSummary) return [];
  const rows = r.searchSummary.rows;
  const like = new Map((r.like ?? []).map((l) => [l.label, l]));
  const out = [
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
  for (const x of others) out.push(`| ${x.what} | ${ms(x.p50)} / ${ms(x.p95)} | ${ms(x.cpu50)} | < ${n0(x.target)}: ${verdict(x.p95 < x.target)} |`);
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
  const out: string[] = [];
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
    '| renderer (Chromium headless, software raster) | figure |',
    '| --- | --- |',
    `| first contentful paint (median of 3 cold loads) | ${ms(x.firstContentfulPaintMs)} ms |`,
    `| first page of calls shown | ${ms(x.firstRowsMs)} ms |`,
    `| frame interval scrolling 2 rows a frame, p50 / p95 | ${ms(x.steadyScroll.p50Ms)} / ${ms(x.steadyScroll.p95Ms)} ms |`,
    `| scrollbar jump → real rows, p50 / p95 | ${ms(x.jumpToRowsMs.p50)} / ${ms(x.jumpToRowsMs.p95)} ms |`,
    `| renderer process memory (PSS) | ${x.rendererPssMb ?? '?'} MB |`,
  ];
}

export function readmeSection(r: BenchResults): string {
  const m = r.machine;
  return [
    BEGIN,
    `Run of ${r.date.slice(0, 10)} (\`npm run bench\`, ${n0(r.seconds)} s in all${r.scale !== 1 ? `, scale ${r.scale}` : ''}): ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB,`,
    `${m.platform}, Node ${m.node}, SQLite ${m.sqlite}; load average ${m.loadAverageAtStart.toFixed(1)} at the start. Cache: ${n0(r.cache?.calls ?? 0)} calls synced from the simulators`,
    `(${(r.cache?.accounts ?? []).map((a) => `${a.name} ${n0(a.calls)}`).join(', ')}). Every figure is in \`bench/results.json\`.`,
    '',
    ...syncTable(r),
    '',
    ...searchTable(r),
    ...exportTable(r),
    ...rendererTable(r),
    END,
  ].join('\n');
}

/** Replaces the text between the markers (or appends the section when they are missing). */
export function replaceReadmeSection(file: string, section: string): void {
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + END.length) : `${text.trimEnd()}\n\n${section}\n`);
}

/** `node bench/report.ts`: the README table again from bench/results.json (after a change to this file). */
if (import.meta.main) {
  const results = JSON.parse(readFileSync(join(import.meta.dirname, 'results.json'), 'utf8')) as BenchResults;
  replaceReadmeSection(join(import.meta.dirname, '..', 'README.md'), readmeSection(results));
}
