// CSV export on several cores. Reading and formatting a million rows costs ~10 CPU-seconds on one thread, the
// target is 5 s, so the rows are split by position in the sort order into one part per core: this thread writes
// the first part straight into the export file, worker threads (csv-worker.ts) write the others to part files
// beside it, which are then appended in order. Every connection reads the same snapshot (pinSnapshots).
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { open, unlink } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { segmentsBetween, type Segment, type SortKey } from '../query/sort.ts';
import type { ExportColumn } from './columns.ts';
import { writeCsv, type CsvSeparator } from './csv.ts';
import type { FileOut } from './file-out.ts';
import type { ExportProgress } from './progress.ts';
import { beginSnapshot, readRows, type RowQuery } from './row-query.ts';
import { WallClock } from './wall-clock.ts';

export interface WorkerInit {
  dbFile: string;
  cacheKiB: number;
}

export interface CsvPartJob {
  query: RowQuery;
  segments: Segment[];
  columns: ExportColumn[];
  zone: string;
  separator: CsvSeparator | undefined;
  /** Part file to create (it must not exist). */
  file: string;
}

export type WorkerReply =
  | { type: 'ready' } | { type: 'pinned' } | { type: 'unpinned' } | { type: 'progress'; rows: number } | { type: 'done'; rows: number }
  | { type: 'error'; error: { name: string; message: string; code?: string; syscall?: string; path?: string } };

export interface ParallelCsvOptions {
  /** The database file, and this thread's read connection (its transaction is restarted by pinSnapshots). */
  dbFile: string;
  db: Database;
  cacheKiB: number;
  parts: number;
  /** Part i (i ≥ 1) is written to partFile(i). */
  partFile: (i: number) => string;
  /** The rows to write and how many there are, read on `db` once every part's snapshot is pinned. */
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

/** A worker thread answering one request at a time. */
class PartWorker {
  readonly worker: Worker;
  private waiting: { type: WorkerReply['type']; resolve: (r: WorkerReply) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;
  onProgress: (rows: number) => void = () => {};

  constructor(init: WorkerInit) {
    this.worker = new Worker(workerUrl(), { workerData: init });
    this.worker.on('message', (r: WorkerReply) => {
      if (r.type === 'progress') return this.onProgress(r.rows);
      if (r.type === 'error') return this.fail(Object.assign(new Error(r.error.message), r.error));
      if (this.waiting?.type === r.type) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve(r);
      }
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`export worker stopped (exit code ${code})`)));
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  /** Resolves with the reply of `type` (sending `msg` first, if any); rejects if the worker fails or stops. */
  request(type: WorkerReply['type'], msg?: unknown): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<WorkerReply>((resolve, reject) => { this.waiting = { type, resolve, reject }; });
    if (msg !== undefined) this.worker.postMessage(msg);
    return reply;
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

/** The key of the last row of each part but the last: rows split evenly by position in sort order. */
function splitKeys(db: Database, q: RowQuery, total: number, parts: number): SortKey[] {
  // The plain table, not the read plan's NOT INDEXED: an index on the sort value finds the row without sorting.
  const stmt = db.prepare(`SELECT ${q.sortExpr}, id FROM cdrs WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT 1 OFFSET ?`).raw();
  const keys: SortKey[] = [];
  for (let i = 1; i < parts; i++) {
    const row = stmt.get(...q.params, Math.floor((i * total) / parts) - 1) as [unknown, number] | undefined;
    if (!row) throw new Error(`parallel export: row ${Math.floor((i * total) / parts)} of ${total} not found`);
    keys.push({ value: row[0], id: row[1] });
  }
  return keys;
}

const COPY_BYTES = 1 << 20;

async function append(out: FileOut, file: string, signal: AbortSignal): Promise<void> {
  const h = await open(file, 'r');
  try {
    for (;;) {
      signal.throwIfAborted();
      const buf = Buffer.allocUnsafe(COPY_BYTES);
      const { bytesRead } = await h.read(buf, 0, COPY_BYTES);
      if (bytesRead === 0) return;
      await out.write(buf.subarray(0, bytesRead));
    }
  } finally {
    await h.close();
  }
}

/** Writes the rows; `parts` says on how many threads (1 when no common snapshot could be pinned). */
export async function writeCsvParallel(out: FileOut, o: ParallelCsvOptions): Promise<{ rows: number; parts: number }> {
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
    stop.abort(err);
    // Their runs then settle (a stopped worker rejects what it was asked).
    for (const w of workers) void w.worker.terminate();
  };
  const workers: PartWorker[] = [];
  const files: string[] = [];
  const onAbort = () => fail(o.signal!.reason);
  o.signal?.addEventListener('abort', onAbort);
  try {
    o.signal?.throwIfAborted();
    const init: WorkerInit = { dbFile: o.dbFile, cacheKiB: o.cacheKiB };
    for (let i = 1; i < o.parts; i++) workers.push(new PartWorker(init));
    await Promise.all(workers.map((w) => w.request('ready')));
    signal.throwIfAborted();
    const pinned = await pinSnapshots(o.dbFile, o.db, workers);

    const { query, total } = o.prepare();
    const parts = pinned ? Math.max(1, Math.min(o.parts, total)) : 1;
    const keys = splitKeys(o.db, query, total, parts);
    const order = { expr: query.sortExpr, desc: query.desc };
    const segments = (i: number) => segmentsBetween(order, keys[i - 1] ?? null, keys[i] ?? null);

    const counts = new Array<number>(parts).fill(0);
    const report = () => o.onProgress?.({ rows: counts.reduce((a, b) => a + b, 0), total });
    const runs: Promise<unknown>[] = [];
    for (let i = 1; i < parts; i++) {
      const w = workers[i - 1]!;
      const file = o.partFile(i);
      files.push(file);
      w.onProgress = (rows) => {
        counts[i] = rows;
        report();
      };
      const job: CsvPartJob = { query, segments: segments(i), columns: o.columns, zone: o.zone, separator: o.separator, file };
      runs.push(w.request('done', { type: 'run', job }).then((r) => {
        if (r.type === 'done') counts[i] = r.rows;
      }, fail));
    }
    runs.push(writeCsv(out, readRows(o.db, query, segments(0)), {
      columns: o.columns, clock: new WallClock(o.zone), separator: o.separator, signal,
      onProgress: (p) => {
        counts[0] = p.rows;
        report();
      },
    }).catch(fail));
    await Promise.all(runs);
    if (failure) throw failure;
    for (const file of files) await append(out, file, signal);
    report();
    return { rows: counts.reduce((a, b) => a + b, 0), parts };
  } catch (err) {
    throw failure ?? err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.worker.terminate()));
    await Promise.all(files.map((f) => unlink(f).catch(() => {})));
  }
}
