// Normalize + upsert alone (issue 3: >= 100,000 rows/s), without HTTP: rows as the pbx-cdr API sends them,
// mapped (mapPbxRow) and written (CdrWriter) in BATCH_ROWS transactions on one thread, as a small sync does; and
// pipelined as a large sync runs (mapped on this thread while the writer thread commits the previous batch); and what
// storing a call costs piece by piece (bench/write-floor.ts). The end-to-end sync figures come from
// bench/build-cache.ts.   node bench/sync.ts [--rows N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CdrWriter, prepareCdr, type PreparedCdr } from '../electron/data/db/cdrs.ts';
import { mapPbxRow, pbxRequestBody, type PbxRow } from '../electron/data/providers/pbx-cdr/adapter.ts';
import { BATCH_ROWS } from '../electron/data/sync/queue.ts';
import { AccountStore, commitPageOf, type CommitRequest } from '../electron/data/sync/store.ts';
import { SyncWriter } from '../electron/data/sync/writer.ts';
import { openWorkspace, type Workspace } from '../electron/data/workspace.ts';
import { simulatorWorker } from './build-cache.ts';
import { measure, perSecText, type Figure } from './measure.ts';
import { runWriteFloor, type WriteFloor } from './write-floor.ts';

export interface UpsertBenchResult {
  normalize: Figure;
  /** prepareCdr: a mapped call as column values (folded search text, raw JSON), as the sync's main thread does. */
  prepare?: Figure;
  upsert: Figure;
  /** The same upsert with the B-tree indexes for filters, sorts and summaries dropped: what they cost. */
  upsertWithoutBtree: Figure;
  normalizeUpsert: Figure;
  /** As the sync engine runs a large sync: mapped here while the writer thread commits the previous batch. */
  pipelined: Figure;
  /** Storing a call piece by piece, from a bare INSERT up (bench/write-floor.ts). */
  floor?: WriteFloor;
}

/** One page of every 100 rows from the simulator, as the API sends them; repeated with fresh ids up to `rows`. */
async function apiRows(rows: number): Promise<PbxRow[]> {
  const sim = await simulatorWorker('pbx-cdr', Math.min(rows, 20_000));
  try {
    const { baseUrl, secrets } = sim.info;
    const sample: PbxRow[] = [];
    for (let page = 1; sample.length < sim.info.calls; page++) {
      const res = await fetch(`${baseUrl}/api/cdr`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: pbxRequestBody(page, {}, secrets.apiKey!).body,
      });
      const body = (await res.json()) as { results: PbxRow[] };
      if (!body.results.length) break;
      sample.push(...body.results);
    }
    return Array.from({ length: rows }, (_, i) => ({ ...sample[i % sample.length]!, id: String(10_000_000 + i) }));
  } finally {
    await sim.stop();
  }
}

async function freshAccount(dir: string, name: string, zone: string): Promise<{ ws: Workspace; id: number; write: (rows: ReturnType<typeof mapPbxRow>[]) => unknown }> {
  const ws = openWorkspace(join(dir, name));
  await ws.accounts.add({ name, provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: zone, secrets: { token: 't', apiKey: 'k' } });
  const id = ws.accounts.get(name).id;
  const writer = new CdrWriter(ws.db);
  return { ws, id, write: ws.db.transaction((rows: ReturnType<typeof mapPbxRow>[]) => writer.write(id, rows)) };
}

/** Rows mapped and prepared here, PIPELINE_BATCH at a time, each batch committed on the writer thread while the next is mapped. */
async function pipelined(ws: Workspace, accountId: number, rows: readonly PbxRow[], zone: string): Promise<void> {
  const store = new AccountStore(ws.db);
  const runId = store.startRun(accountId, Date.now(), { from: null, to: null });
  const writer = new SyncWriter(ws.db, store, 'thread');
  let committing: Promise<unknown> = Promise.resolve();
  const before = { fetched: 0, inserted: 0, updated: 0, notFound: 0 };
  try {
    for (let i = 0; i < rows.length; i += PIPELINE_BATCH) {
      const pages = [];
      for (let p = i; p < Math.min(rows.length, i + PIPELINE_BATCH); p += 100) {
        pages.push(commitPageOf({ cdrs: rows.slice(p, p + 100).map((r) => mapPbxRow(r, zone)), cursor: { lastId: p } }));
      }
      await committing;
      const req: CommitRequest = { accountId, stream: 'default', runId, pages, before, window: { from: null, to: null }, runAt: Date.now(), byId: false };
      committing = writer.commit(req);
    }
    await committing;
  } finally {
    await writer.close();
  }
}

/** The batch a large sync commits on the writer thread (about what arrives while the previous commit runs). */
const PIPELINE_BATCH = 4000;

function inBatches<T>(rows: readonly T[], fn: (batch: T[]) => unknown): void {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) fn(rows.slice(i, i + BATCH_ROWS));
}

export async function runUpsertBench(rows = 100_000, log: (line: string) => void = console.log): Promise<UpsertBenchResult> {
  const zone = 'Europe/Bucharest';
  const input = await apiRows(rows * 2);
  const dir = mkdtempSync(join(tmpdir(), 'cdr-bench-upsert-'));
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'key');
  try {
    const first = input.slice(0, rows);
    let mapped: ReturnType<typeof mapPbxRow>[] = [];
    const normalize = await measure(rows, () => (mapped = first.map((r) => mapPbxRow(r, zone))));
    let prepared: PreparedCdr[] = [];
    const prepare = await measure(rows, () => (prepared = mapped.map(prepareCdr)));
    log(`prepare alone (prepareCdr: search columns, raw JSON): ${perSecText(prepare)} rows`);
    const floor = await runWriteFloor(dir, zone, prepared, log);

    const a = await freshAccount(dir, 'upsert', zone);
    const upsert = await measure(rows, () => inBatches(mapped, a.write));
    a.ws.close();

    const b = await freshAccount(dir, 'no-btree', zone);
    for (const name of b.ws.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cdrs' AND sql IS NOT NULL`).pluck().all() as string[]) {
      b.ws.db.exec(`DROP INDEX "${name}"`);
    }
    const upsertWithoutBtree = await measure(rows, () => inBatches(mapped, b.write));
    b.ws.close();

    const c = await freshAccount(dir, 'normalize-upsert', zone);
    const rest = input.slice(rows);
    const normalizeUpsert = await measure(rest.length, () => inBatches(rest, (batch) => c.write(batch.map((r) => mapPbxRow(r, zone)))));
    const stored = c.ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
    c.ws.close();
    if (stored !== rest.length) throw new Error(`upsert bench stored ${stored} of ${rest.length}`);

    const d = await freshAccount(dir, 'pipelined', zone);
    const piped = await measure(rest.length, () => pipelined(d.ws, d.id, rest, zone), true);
    const pipedStored = d.ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
    d.ws.close();
    if (pipedStored !== rest.length) throw new Error(`pipelined upsert bench stored ${pipedStored} of ${rest.length}`);

    log(`normalize alone (mapPbxRow): ${perSecText(normalize)} rows`);
    log(`upsert alone (CdrWriter, ${BATCH_ROWS}-row transactions, every index kept): ${perSecText(upsert)} rows`);
    log(`upsert with the B-tree indexes dropped (what they cost; not how the app runs): ${perSecText(upsertWithoutBtree)} rows`);
    log(`normalize + upsert, one thread: ${perSecText(normalizeUpsert)} rows`);
    log(`normalize + upsert, pipelined (map here, commit on the writer thread): ${perSecText(piped)} rows, CPU of both threads (target >= 100,000/s)`);
    return { normalize, prepare, upsert, upsertWithoutBtree, normalizeUpsert, pipelined: piped, floor };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  await runUpsertBench(values.rows ? Number(values.rows) : undefined);
}
