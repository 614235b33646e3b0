// The sync writer thread (sync/writer.ts): its own connection to the cache file, committing the sync engine's
// transactions in the order they come. The app bundles it to dist-electron/sync-writer-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyPragmas } from '../db/open.ts';
import { indexTail } from '../search/tail.ts';
import { AccountStore } from './store.ts';
import type { WriterInit, WriterReply, WriterRequest } from './writer.ts';

const port = parentPort!;
const { file } = workerData as WriterInit;
const db = new BetterSqlite3(file);
applyPragmas(db);
// Only a large sync gets here: its calls are searched as the tail until indexed in bulk (search/tail.ts).
const store = new AccountStore(db, { deferIndex: true });
const reply = (r: WriterReply) => port.postMessage(r);
/** Whether this thread committed anything: only then is there a tail of its own to index at the end. */
let wrote = false;
reply({ type: 'ready' }); // loaded, connection open: commits may come here without waiting

port.on('message', (msg: WriterRequest) => {
  if (msg.type === 'close') {
    // The sync has ended: its tail is indexed in bulk (should that fail, the next open or sync does it).
    try {
      if (wrote) indexTail(db);
    } catch {
      /* kept as the tail */
    }
    db.close();
    reply({ type: 'closed' });
    port.close(); // nothing left to run: the thread ends by itself (terminating it mid-compile crashed V8 under load)
    return;
  }
  try {
    wrote = true;
    reply({ type: 'committed', counts: store.commit(msg.req) });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    reply({ type: 'failed', error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) } });
  }
});
