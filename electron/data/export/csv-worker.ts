// A worker thread of the parallel CSV export (csv-parallel.ts): its own read-only connection, which pins its
// snapshot when told (while the coordinator holds the write lock, so every part sees one database state), then
// writes the CSV lines of its part of the rows to a part file. Bundled as dist-electron/export-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { writeCsv } from './csv.ts';
import type { CsvPartJob, WorkerInit, WorkerReply } from './csv-parallel.ts';
import { FileOut } from './file-out.ts';
import { beginSnapshot, readRows } from './row-query.ts';
import { WallClock } from './wall-clock.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const db = new BetterSqlite3(init.dbFile, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${init.cacheKiB}`);
const reply = (r: WorkerReply) => port.postMessage(r);

async function run(job: CsvPartJob): Promise<number> {
  const handle = await open(job.file, 'wx');
  try {
    const out = new FileOut(handle);
    const { rows } = await writeCsv(out, readRows(db, job.query, job.segments), {
      columns: job.columns, clock: new WallClock(job.zone), separator: job.separator, header: false,
      onProgress: (p) => reply({ type: 'progress', rows: p.rows }),
    });
    await out.flush();
    return rows;
  } finally {
    await handle.close();
  }
}

port.on('message', (msg: { type: 'pin' } | { type: 'unpin' } | { type: 'run'; job: CsvPartJob }) => {
  if (msg.type === 'pin') {
    beginSnapshot(db);
    reply({ type: 'pinned' });
    return;
  }
  if (msg.type === 'unpin') {
    db.exec('COMMIT');
    reply({ type: 'unpinned' });
    return;
  }
  run(msg.job).then(
    (rows) => {
      db.exec('COMMIT');
      db.close();
      reply({ type: 'done', rows });
      port.close();
    },
    (err: unknown) => {
      const e = err as NodeJS.ErrnoException;
      reply({ type: 'error', error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: e?.code, syscall: e?.syscall, path: e?.path } });
    },
  );
});
reply({ type: 'ready' });
