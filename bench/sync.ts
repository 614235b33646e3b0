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
import { syncAccounts } from '../electron/data/sync.ts';
import { openWorkspace } from '../electron/data/workspace.ts';

interface SimInfo {
  baseUrl: string;
  secrets: Record<string, string>;
  timezone: string;
}

export interface SyncBenchResult {
  pagedSync: { calls: number; seconds: number; perSec: number; target: number };
  normalizeUpsert: { rows: number; seconds: number; perSec: number; target: number };
}

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
  const calls = options.calls ?? 60_000;
  const rows = options.rows ?? 200_000;
  const log = options.log ?? ((l: string) => console.log(l));
  process.env.CDR_DESK_KEY_FILE ??= join(mkdtempSync(join(tmpdir(), 'cdr-bench-key-')), 'key');
  const dir = mkdtempSync(join(tmpdir(), 'cdr-bench-'));
  const { info, stop } = await simulatorInWorker(calls);
  try {
    // 1. Paged sync, end to end.
    const ws = openWorkspace(join(dir, 'sync'));
    await ws.accounts.add({ name: 'Bench PBX', provider: 'pbx-cdr', baseUrl: info.baseUrl, timezone: info.timezone, secrets: info.secrets });
    const t0 = performance.now();
    const [r] = await syncAccounts(ws, { accounts: ['Bench PBX'] });
    const syncSec = (performance.now() - t0) / 1000;
    if (r!.error || r!.inserted !== calls) throw new Error(`bench sync went wrong: ${JSON.stringify(r)}`);
    ws.close();
    const pagedSync = { calls, seconds: syncSec, perSec: calls / syncSec, target: 20_000 };
    log(`paged sync (pbx-cdr simulator, loopback, 100 rows/page): ${calls} CDRs in ${syncSec.toFixed(2)} s = ${Math.round(pagedSync.perSec).toLocaleString('en-US')} CDRs/s (target >= 20,000)`);

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
    const commit = ws2.db.transaction((page: PbxRow[]) => writer.write(accountId, page.map((row) => mapPbxRow(row, info.timezone))));
    const t1 = performance.now();
    let inserted = 0;
    for (let i = 0; i < input.length; i += 100) inserted += commit(input.slice(i, i + 100)).inserted;
    const upsertSec = (performance.now() - t1) / 1000;
    ws2.close();
    if (inserted !== rows) throw new Error(`upsert bench inserted ${inserted} of ${rows}`);
    const normalizeUpsert = { rows, seconds: upsertSec, perSec: rows / upsertSec, target: 100_000 };
    log(`normalize + upsert alone (mapPbxRow + CdrWriter, 100-row transactions): ${rows} rows in ${upsertSec.toFixed(2)} s = ${Math.round(normalizeUpsert.perSec).toLocaleString('en-US')} rows/s (target >= 100,000)`);
    return { pagedSync, normalizeUpsert };
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
