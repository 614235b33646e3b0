// The sync writer thread (sync/writer.ts): its own connection to the cache file, committing the sync engine's
// transactions in the order they come. The app bundles it to dist-electron/sync-writer-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyPragmas } from '../db/open.ts';
import { AccountStore } from './store.ts';
import type { WriterInit, WriterReply, WriterRequest } from './writer.ts';

const port = parentPort!;
const { file } = workerData as WriterInit;
const db = new BetterSqlite3(file);
applyPragmas(db);
const store = new AccountStore(db);
const reply = (r: WriterReply) => port.postMessage(r);
reply({ type: 'ready' }); // loaded, connection open: commits may come here without waiting

port.on('message', (msg: WriterRequest) => {
  if (msg.type === 'close') {
    db.close();
    reply({ type: 'closed' });
    return;
  }
  try {
    reply({ type: 'committed', counts: store.commit(msg.req) });
  } catch (err) {
    const e = err as Error & { code?: unknown };
    reply({ type: 'failed', error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) } });
  }
});
