// CSV export on several cores. Reading and formatting a million rows costs ~9 CPU-seconds on one thread and the
// target is 5 s, so the rows are cut by position in the sort order into chunks (chunkKeys) that this thread and
// worker threads (csv-worker.ts) format as they come free, and this thread writes the chunks' bytes to the file
// in order. Taking chunks as they come free keeps every core busy when one runs slower (a loaded machine); the
// bytes stay in memory only while an earlier chunk is unfinished, and no thread may run more than a few chunks
// ahead of the file (AHEAD), so memory stays bounded. Every connection reads the same snapshot (pinSnapshots).
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { segmentsBetween, type Segment, type SortKey } from '../search/sort.ts';
import type { ExportColumn } from './columns.ts';
import { csvHeader, writeCsv, type CsvSeparator } from './csv.ts';
import type { FileOut } from './file-out.ts';
import type { ExportProgress } from './progress.ts';
import { beginSnapshot, readRows, type RowQuery } from './row-query.ts';
import { WallClock } from './wall-clock.ts';

export interface WorkerInit {
  dbFile: string;
}

/** What every chunk shares, sent once. */
export interface CsvSetup {
  /** Page cache of each connection (also what a scan plan's sort may hold in memory). */
  cacheKiB: number;
  query: RowQuery;
  columns: ExportColumn[];
  zone: string;
  separator: CsvSeparator | undefined;
}

export type WorkerRequest =
  | { type: 'pin' } | { type: 'unpin' } | { type: 'setup'; setup: CsvSetup } | { type: 'chunk'; segments: Segment[] };

export type WorkerReply =
  | { type: 'ready' } | { type: 'pinned' } | { type: 'unpinned' } | { type: 'chunk'; rows: number; blocks: Uint8Array[] }
  | { type: 'error'; error: { name: string; message: string; code?: string } };

export interface ParallelCsvOptions {
  /** The database file, and this thread's read connection (its transaction is restarted by pinSnapshots). */
  dbFile: string;
  db: Database;
  /** Page cache of each connection for a scan plan, whose sort it holds (an index walk needs little). */
  sortCacheKiB: number;
  /** Threads, this one included. */
  parts: number;
  /** Rows per chunk; default from the total (chunkSize). */
  chunkRows?: number;
  /** The rows to write and how many there are, read on `db` (again if the pinned snapshot is a later state). */
  prepare: () => { query: RowQuery; total: number };
  columns: ExportColumn[];
  zone: string;
  separator?: CsvSeparator;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** Where the worker's code is: beside this file as .ts (plain Node), or export-worker.cjs beside the bundle. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./csv-worker.ts', here) : new URL('./export-worker.cjs', here);
}

/** A worker thread; it answers requests in the order sent, so several may be waiting. */
class PartWorker {
  readonly worker: Worker;
  private waiting: { type: WorkerReply['type']; resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }[] = [];
  private failure: unknown = null;

  constructor(init: WorkerInit) {
    this.worker = new Worker(workerUrl(), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.worker.on('message', (r: WorkerReply) => {
      if (r.type === 'error') return this.fail(Object.assign(new Error(r.error.message), r.error));
      const w = this.waiting.shift();
      if (w?.type === r.type) w.resolve(r);
      else this.fail(new Error(`export worker answered ${r.type} to ${w?.type ?? 'nothing'}`));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`export worker stopped (exit code ${code})`)));
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(this.failure);
  }

  send(msg: WorkerRequest): void {
    this.worker.postMessage(msg);
  }

  /** Sends `msg` and resolves with the reply of `type`; rejects if the worker fails or stops. */
  request<T extends WorkerReply['type']>(type: T, msg?: WorkerRequest): Promise<Extract<WorkerReply, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<WorkerReply>((resolve, reject) => { this.waiting.push({ type, resolve, reject }); });
    if (msg) this.send(msg);
    return reply as Promise<Extract<WorkerReply, { type: T }>>;
  }
}

/** Tries to pin one snapshot this many times before writing on this thread alone. */
const PIN_ATTEMPTS = 20;

/**
 * Pins the snapshot of every connection to one database state. Each read transaction sees the state of its
 * first read, and a sync may commit between two of them; so the pins are taken between two readings of another
 * connection's data_version, which changes with every commit by anyone: equal readings mean no commit came in
 * between, and every pin holds the same state. (Holding the write lock instead would make a sync's transaction
 * that had begun with a read fail at once with SQLITE_BUSY: SQLite cannot wait there without risking deadlock.)
 * False when commits kept coming in every attempt.
 */
async function pinSnapshots(dbFile: string, db: Database, workers: PartWorker[]): Promise<boolean> {
  const probe = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
  try {
    const version = probe.prepare('PRAGMA data_version').pluck();
    for (let i = 0; i < PIN_ATTEMPTS; i++) {
      const before = version.get();
      if (db.inTransaction) db.exec('COMMIT');
      beginSnapshot(db);
      await Promise.all(workers.map((w) => w.request('pinned', { type: 'pin' })));
      if (version.get() === before) return true;
      await Promise.all(workers.map((w) => w.request('unpinned', { type: 'unpin' })));
    }
    return false;
  } finally {
    probe.close();
  }
}

/** Page cache of each connection on an index walk, KiB (SQLite's default). */
const INDEX_CACHE_KIB = 2000;
/** About this many chunks per thread: enough to even out threads that run at different speeds. */
const CHUNKS_PER_PART = 32;
/**
 * Chunks queued in each worker: this thread hands out chunks and takes their bytes only between its own rows'
 * batches (every 10,000 rows), so a worker with a single chunk sat idle for half the export waiting for its next.
 */
const QUEUED = 3;
/** Chunks finished or under way beyond the next one to write, besides the queues (each ~3 MB at 16,000 rows). */
const AHEAD = 2;

export function chunkSize(total: number, parts: number): number {
  return Math.min(50_000, Math.max(5_000, Math.ceil(total / (parts * CHUNKS_PER_PART))));
}

/**
 * The key of the last row of each chunk but the last. When an index gives the order, each key is found from the
 * one before it (LIMIT 1 OFFSET chunkRows - 1 after it: SQLite steps over the index alone); otherwise one sort
 * numbers the rows and keeps every chunkRows-th, instead of one sort per key.
 */
export function chunkKeys(db: Database, q: RowQuery, total: number, chunkRows: number): SortKey[] {
  const chunks = Math.ceil(total / chunkRows);
  if (chunks <= 1) return [];
  // The plain table, not the read plan's NOT INDEXED: an index on the sort value finds rows without sorting.
  const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT ${q.sortExpr}, id FROM cdrs WHERE ${q.where} ORDER BY ${q.orderBy}`).all(...q.params) as { detail: string }[];
  if (plan.some((p) => p.detail.includes('TEMP B-TREE'))) {
    const rows = db.prepare(`SELECT v, id FROM (SELECT ${q.sortExpr} AS v, id, row_number() OVER (ORDER BY ${q.orderBy}) AS n FROM cdrs WHERE ${q.where})
      WHERE n % ? = 0 ORDER BY n LIMIT ?`).raw().all(...q.params, chunkRows, chunks - 1) as [unknown, number][];
    return rows.map(([value, id]) => ({ value, id }));
  }
  const order = { expr: q.sortExpr, desc: q.desc };
  const keys: SortKey[] = [];
  let after: SortKey | null = null;
  for (let c = 1; c < chunks; c++) {
    // The row chunkRows - 1 past `after`, through the segments after it in order.
    let skip = chunkRows - 1;
    let key: SortKey | null = null;
    for (const s of segmentsBetween(order, after, null)) {
      const where = `(${q.where}) AND (${s.where})`;
      const params = [...q.params, ...s.params];
      const row = db.prepare(`SELECT ${q.sortExpr}, id FROM cdrs WHERE ${where} ORDER BY ${s.orderBy} LIMIT 1 OFFSET ?`).raw().get(...params, skip) as [unknown, number] | undefined;
      if (row) {
        key = { value: row[0], id: row[1] };
        break;
      }
      skip -= db.prepare(`SELECT count(*) FROM cdrs WHERE ${where}`).pluck().get(...params) as number;
    }
    if (!key) break;
    keys.push(key);
    after = key;
  }
  return keys;
}

/** A chunk's bytes, kept in memory until it is its turn to be written. */
class Blocks {
  readonly list: Buffer[] = [];
  write(buf: Buffer): Promise<void> {
    this.list.push(buf);
    return Promise.resolve();
  }
}

/** Writes the rows after the BOM and header; `parts` says on how many threads (1 when no snapshot could be pinned). */
export async function writeCsvParallel(out: FileOut, o: ParallelCsvOptions): Promise<{ rows: number; parts: number }> {
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const workers: PartWorker[] = [];
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
    stop.abort(err);
    // Their requests then reject, so every loop below ends.
    for (const w of workers) void w.worker.terminate();
    wake();
  };
  // Threads waiting for the file to catch up (AHEAD).
  let wakeUps: (() => void)[] = [];
  const wake = () => {
    const w = wakeUps;
    wakeUps = [];
    for (const f of w) f();
  };
  const onAbort = () => fail(o.signal!.reason);
  o.signal?.addEventListener('abort', onAbort);
  try {
    o.signal?.throwIfAborted();
    const init: WorkerInit = { dbFile: o.dbFile };
    for (let i = 1; i < o.parts; i++) workers.push(new PartWorker(init));
    const ready = Promise.all(workers.map((w) => w.request('ready')));
    // While the workers start: the rows, their count and the chunk bounds on this thread's snapshot as it is,
    // kept if the pinned snapshot holds the same state (this connection's data_version stays the same).
    const layout = () => {
      const { query, total } = o.prepare();
      // A scan plan reads the whole table for each chunk: then one chunk per thread.
      const chunkRows = o.chunkRows ?? (query.plan === 'scan' ? Math.ceil(total / o.parts) : chunkSize(total, o.parts));
      return { query, total, keys: chunkKeys(o.db, query, total, chunkRows) };
    };
    const dataVersion = () => o.db.pragma('data_version', { simple: true }) as number;
    if (!o.db.inTransaction) beginSnapshot(o.db);
    const seen = dataVersion();
    let rows = layout();
    await ready;
    signal.throwIfAborted();
    const pinned = await pinSnapshots(o.dbFile, o.db, workers);
    if (dataVersion() !== seen) rows = layout();
    const { query, total } = rows;
    const keys = pinned ? rows.keys : [];
    const order = { expr: query.sortExpr, desc: query.desc };
    const chunks = keys.length + 1;
    const segments = (c: number) => segmentsBetween(order, keys[c - 1] ?? null, keys[c] ?? null);
    // Each connection's page cache fills up to its size: with one per thread, on an index walk that was 14 MB of
    // peak memory each for nothing.
    const cacheKiB = query.plan === 'scan' ? o.sortCacheKiB : INDEX_CACHE_KIB;
    o.db.pragma(`cache_size = -${cacheKiB}`);
    const setup: CsvSetup = { cacheKiB, query, columns: o.columns, zone: o.zone, separator: o.separator };
    const helpers = keys.length ? workers.slice(0, keys.length) : [];
    for (const w of helpers) w.send({ type: 'setup', setup });

    await out.write(Buffer.from(csvHeader(o.columns, o.separator), 'utf8'));
    await out.flush();
    let taken = 0;
    let written = 0;
    let rowsWritten = 0;
    const done = new Map<number, { rows: number; blocks: Uint8Array[] }>();
    // Chunks go to the file in order, each as soon as the ones before it are there.
    const finished = (c: number, rows: number, blocks: Uint8Array[]) => {
      done.set(c, { rows, blocks });
      for (let next = done.get(written); next; next = done.get(written)) {
        done.delete(written);
        for (const b of next.blocks) out.writeNow(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
        written++;
        rowsWritten += next.rows;
        o.onProgress?.({ rows: rowsWritten, total });
      }
      wake();
    };
    const ahead = helpers.length * QUEUED + 1 + AHEAD;
    /** The next chunk to format, or -1 when none is left, the export stops, or (unless `wait`) the file is too far behind. */
    const take = async (wait: boolean): Promise<number> => {
      while (wait && !signal.aborted && taken < chunks && taken >= written + ahead) {
        await new Promise<void>((resolve) => wakeUps.push(resolve));
      }
      return signal.aborted || taken >= chunks || taken >= written + ahead ? -1 : taken++;
    };

    const clock = new WallClock(o.zone);
    const runs = helpers.map(async (w) => {
      const queue: Promise<void>[] = [];
      for (;;) {
        while (queue.length < QUEUED) {
          const c = await take(queue.length === 0);
          if (c < 0) break;
          // Failures go to fail() here: once a worker fails, every chunk queued in it rejects, not only the first.
          queue.push(w.request('chunk', { type: 'chunk', segments: segments(c) }).then((r) => finished(c, r.rows, r.blocks), fail));
        }
        if (!queue.length) return;
        await queue.shift();
      }
    });
    runs.push((async () => {
      for (let c = await take(true); c >= 0; c = await take(true)) {
        const blocks = new Blocks();
        const r = await writeCsv(blocks, readRows(o.db, query, segments(c)), { columns: o.columns, clock, separator: o.separator, header: false, signal });
        finished(c, r.rows, blocks.list);
      }
    })());
    await Promise.all(runs.map((r) => r.catch(fail)));
    if (failure) throw failure;
    if (rowsWritten === 0) o.onProgress?.({ rows: 0, total });
    return { rows: rowsWritten, parts: helpers.length + 1 };
  } catch (err) {
    throw failure ?? err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
