// The read thread (host/reader.ts): a read-only connection to the cache file answering the read channels in the
// order asked. The app bundles it to dist-electron/read-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReaderInit, ReadReply, ReadRequest } from './reader.ts';
import { READS } from './reads.ts';
import { mapForReading, PAGE_CACHE_KIB } from '../db/open.ts';

// Reads are background work: on Linux a thread has its own nice value, so this one yields the CPU to the host's
// message thread (elsewhere the call would lower the whole process, so it is left alone).
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    /* not allowed here: reads run at normal priority */
  }
}

const port = parentPort!;
const { file } = workerData as ReaderInit;
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${PAGE_CACHE_KIB}`); // as the host's own connection
mapForReading(db);

port.on('message', (msg: ReadRequest) => {
  let reply: ReadReply;
  try {
    const result = (READS[msg.channel] as (req: unknown, db: BetterSqlite3.Database) => unknown)(msg.request, db);
    reply = { id: msg.id, ok: true, result };
  } catch (err) {
    const e = err as Error;
    reply = { id: msg.id, ok: false, error: { name: e.name ?? 'Error', message: e.message ?? String(err) } };
  }
  port.postMessage(reply);
});
