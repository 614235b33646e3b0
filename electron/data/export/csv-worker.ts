// A worker thread of the parallel CSV export (csv-parallel.ts): its own read-only connection, whose snapshot is
// pinned when asked; then it formats the chunks it is given and hands their bytes back. Bundled as
// dist-electron/export-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { prepareTailSearch } from '../search/tail.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { writeCsv } from './csv.ts';
import type { CsvSetup, WorkerInit, WorkerReply, WorkerRequest } from './csv-parallel.ts';
import { beginSnapshot, readRows } from './row-query.ts';
import { WallClock } from './wall-clock.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const db = new BetterSqlite3(init.dbFile, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
prepareTailSearch(db); // the filter was compiled on another connection: its search-tail test must exist here too
let setup: CsvSetup | null = null;
let clock: WallClock | null = null;
// One chunk at a time, in the order asked (messages arrive while a chunk's loop yields).
let queue = Promise.resolve();

function reply(r: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(r, transfer);
}

function failed(err: unknown): void {
  const e = err as NodeJS.ErrnoException;
  reply({ type: 'error', error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: e?.code } });
}

async function chunk(msg: Extract<WorkerRequest, { type: 'chunk' }>): Promise<void> {
  const s = setup!;
  clock ??= new WallClock(s.zone);
  const blocks: Buffer[] = [];
  const { rows } = await writeCsv({ write: async (b) => { blocks.push(b); } }, readRows(db, s.query, msg.segments),
    { columns: s.columns, clock, separator: s.separator, header: false });
  // Handed over, not copied: each block owns its memory (TextBuffer allocates 256 KiB blocks outside Node's
  // small-buffer pool; a pooled one would take its neighbours with it).
  const transfer = [...new Set(blocks.filter((b) => b.buffer.byteLength > 8192).map((b) => b.buffer as ArrayBuffer))];
  reply({ type: 'chunk', rows, blocks }, transfer);
}

port.on('message', (msg: WorkerRequest) => {
  queue = queue.then(() => {
    switch (msg.type) {
      case 'pin':
        beginSnapshot(db);
        return reply({ type: 'pinned' });
      case 'unpin':
        db.exec('COMMIT');
        return reply({ type: 'unpinned' });
      case 'setup':
        setup = msg.setup;
        db.pragma(`cache_size = -${setup.cacheKiB}`);
        return;
      case 'chunk':
        return chunk(msg);
    }
  }).catch(failed);
});
reply({ type: 'ready' });
