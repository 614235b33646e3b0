// Sync benchmarks (not a test): `node bench/sync.ts [--calls N] [--rows N]`.
//   1. paged sync from the pbx-cdr simulator on loopback into a fresh SQLite file, end to end (HTTP, JSON,
//      mapping, upsert, one transaction per page) — target >= 20,000 CDRs/s;
//   2. normalize + upsert alone (mapPbxRow + CdrWriter.write in page-sized transactions) — target >= 100,000 rows/s.
// The simulator runs in a worker thread so that serving pages does not share the sync's event loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CdrWriter } from '../electron/data/db/cdrs.ts';
import { mapPbxRow, pbxRequestBody, type PbxRow } from '../electron/data/providers/pbx-cdr.ts';
import { startPbxCdrSimulator } from '../electron/data/simulators/pbx-cdr.ts';
import { HttpClient } from '../electron/data/http.ts';
import { pbxCdrAdapter } from '../electron/data/providers/pbx-cdr.ts';
import { syncAccounts } from '../electron/data/sync.ts';
import { loadavg } from 'node:os';
import { openWorkspace } from '../electron/data/workspace.ts';

interface SimInfo {
  baseUrl: string;
  secrets: Record<string, string>;
  timezone: string;
}

export interface Figure {
  n: number;
  seconds: number;
  /** Per wall-clock second. */
  perSec: number;
  /** Per second of this process's CPU time (main thread + SQLite): a figure less dependent on machine load. */
  perCpuSec: number;
}

export interface SyncBenchResult {
  pagedSync: Figure;
  fetchNormalize: Figure;
  normalize: Figure;
  upsert: Figure;
  upsertNoBtree: Figure;
  normalizeUpsert: Figure;
}

async function measure(n: number, fn: () => unknown): Promise<Figure> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { n, seconds, perSec: n / seconds, perCpuSec: n / ((cpu.user + cpu.system) / 1e6) };
}

const fmt = (f: Figure) =>
  `${f.n} in ${f.seconds.toFixed(2)} s = ${Math.round(f.perSec).toLocaleString('en-US')}/s (${Math.round(f.perCpuSec).toLocaleString('en-US')} per CPU-second)`;

async function simulatorInWorker(calls: number): Promise<{ info: SimInfo; stop: () => Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { calls } });
  const info = await new Promise<SimInfo>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { info, stop: async () => void (await worker.terminate()) };
}

/** Fetches every page of a simulator once (outside the timed part) to get raw rows for the upsert benchmark. */
async function rawRows(info: SimInfo, limit: number): Promise<PbxRow[]> {
  const out: PbxRow[] = [];
  for (let page = 1; out.length < limit; page++) {
    const res = await fetch(`${info.baseUrl}/api/cdr`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.secrets.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: pbxRequestBody(page, {}, info.secrets.apiKey!).body,
    });
    const body = (await res.json()) as { results: PbxRow[] };
    if (!body.results.length) break;
    out.push(...body.results);
  }
  return out.slice(0, limit);
}

export async function runSyncBench(options: { calls?: number; rows?: number; log?: (line: string) => void } = {}): Promise<SyncBenchResult> {
  const calls = options.calls ?? 30_000;
  const rows = options.rows ?? 60_000;
  const log = options.log ?? ((l: string) => console.log(l));
  process.env.CDR_DESK_KEY_FILE ??= join(mkdtempSync(join(tmpdir(), 'cdr-bench-key-')), 'key');
  const dir = mkdtempSync(join(tmpdir(), 'cdr-bench-'));
  const { info, stop } = await simulatorInWorker(calls);
  try {
    log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on this machine; simulator in a worker thread`);
    // 1. Paged sync, end to end.
    const ws = openWorkspace(join(dir, 'sync'));
    await ws.accounts.add({ name: 'Bench PBX', provider: 'pbx-cdr', baseUrl: info.baseUrl, timezone: info.timezone, secrets: info.secrets });
    let result: Awaited<ReturnType<typeof syncAccounts>> = [];
    const pagedSync = await measure(calls, async () => (result = await syncAccounts(ws, { accounts: ['Bench PBX'] })));
    if (result[0]!.error || result[0]!.inserted !== calls) throw new Error(`bench sync went wrong: ${JSON.stringify(result[0])}`);
    ws.close();
    log(`paged sync, end to end (HTTP 100 rows/page + map + upsert, a transaction per page): ${fmt(pagedSync)} CDRs (target >= 20,000/s)`);

    // 1b. The same pages fetched and normalized, without the cache: what the network side alone sustains.
    const http = new HttpClient({ account: 'bench', baseUrl: info.baseUrl, secrets: Object.values(info.secrets) });
    let seen = 0;
    const fetchNormalize = await measure(calls, async () => {
      const ctx = { account: { name: 'bench', baseUrl: info.baseUrl, timezone: info.timezone }, secrets: info.secrets, http,
        window: { from: null, to: null }, cursor: null, ids: [], signal: new AbortController().signal };
      for await (const page of pbxCdrAdapter.pages(ctx)) seen += page.cdrs.length;
    });
    await http.close();
    if (seen !== calls) throw new Error(`fetch bench saw ${seen} of ${calls}`);
    log(`  of which fetch + JSON + normalize alone (no cache): ${fmt(fetchNormalize)} CDRs`);

    // 2. Normalize + upsert alone, on rows as the API sends them (repeated with fresh ids to reach `rows`).
    const sample = await rawRows(info, Math.min(rows, calls));
    const input: PbxRow[] = [];
    for (let i = 0; input.length < rows; i++) {
      const src = sample[i % sample.length]!;
      input.push({ ...src, id: String(1_000_000 + i) });
    }
    const ws2 = openWorkspace(join(dir, 'upsert'));
    await ws2.accounts.add({ name: 'Bench upsert', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: info.timezone, secrets: info.secrets });
    const accountId = ws2.accounts.get('Bench upsert').id;
    const writer = new CdrWriter(ws2.db);
    const half = Math.floor(rows / 2);
    let mapped: ReturnType<typeof mapPbxRow>[] = [];
    const normalize = await measure(half, () => (mapped = input.slice(0, half).map((row) => mapPbxRow(row, info.timezone))));
    const write = ws2.db.transaction((page: ReturnType<typeof mapPbxRow>[]) => writer.write(accountId, page));
    const upsert = await measure(half, () => {
      for (let i = 0; i < mapped.length; i += 100) write(mapped.slice(i, i + 100));
    });
    const commit = ws2.db.transaction((page: PbxRow[]) => writer.write(accountId, page.map((row) => mapPbxRow(row, info.timezone))));
    let inserted = 0;
    const rest = input.slice(half);
    const normalizeUpsert = await measure(rest.length, () => {
      for (let i = 0; i < rest.length; i += 100) inserted += commit(rest.slice(i, i + 100)).inserted;
    });
    ws2.close();
    if (inserted !== rest.length) throw new Error(`upsert bench inserted ${inserted} of ${rest.length}`);
    // For reference: the same upsert with the seven B-tree indexes for filters, sorts and summaries dropped (the
    // FTS5 indexes stay: CdrWriter fills them itself).
    const ws3 = openWorkspace(join(dir, 'upsert-no-btree'));
    for (const i of ['cdrs_started', 'cdrs_account_started', 'cdrs_status_started', 'cdrs_campaign_started', 'cdrs_duration', 'cdrs_summary', 'cdrs_week']) {
      ws3.db.exec(`DROP INDEX IF EXISTS ${i}`);
    }
    await ws3.accounts.add({ name: 'Bench no btree', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: info.timezone, secrets: info.secrets });
    const id3 = ws3.accounts.get('Bench no btree').id;
    const writer3 = new CdrWriter(ws3.db);
    const write3 = ws3.db.transaction((page: ReturnType<typeof mapPbxRow>[]) => writer3.write(id3, page));
    const upsertNoBtree = await measure(half, () => {
      for (let i = 0; i < mapped.length; i += 100) write3(mapped.slice(i, i + 100));
    });
    ws3.close();
    log(`normalize alone (mapPbxRow): ${fmt(normalize)} rows`);
    log(`upsert without the 7 B-tree indexes (reference only, not how the app runs): ${fmt(upsertNoBtree)} rows`);
    log(`upsert alone (CdrWriter, 100-row transactions, search indexes maintained): ${fmt(upsert)} rows`);
    log(`normalize + upsert: ${fmt(normalizeUpsert)} rows (target >= 100,000/s)`);
    return { pagedSync, fetchNormalize, normalize, upsert, upsertNoBtree, normalizeUpsert };
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread && workerData && typeof (workerData as { calls?: unknown }).calls === 'number') {
  const sim = await startPbxCdrSimulator({ seed: 1, calls: (workerData as { calls: number }).calls, end: Date.UTC(2024, 10, 1), start: Date.UTC(2024, 4, 1) });
  parentPort!.postMessage({ baseUrl: sim.baseUrl, secrets: sim.secrets, timezone: sim.timezone } satisfies SimInfo);
} else if (isMainThread && process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { calls: { type: 'string' }, rows: { type: 'string' } } });
  await runSyncBench({ calls: values.calls ? Number(values.calls) : undefined, rows: values.rows ? Number(values.rows) : undefined });
}
