// The sync writer thread (sync/writer.ts): its own connection to the cache file, committing the sync engine's
// transactions in the order they come. The app bundles it to dist-electron/sync-writer-worker.cjs.
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyPragmas } from '../db/open.ts';
import { IDLE_INDEX_ROWS, indexTail, tailStart } from '../search/tail.ts';
import { AccountStore, type CommitRequest } from './store.ts';
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
/**
 * A sync that waits on its provider leaves this thread idle between commits: a tail of IDLE_INDEX_ROWS calls or
 * more is indexed then, so that little is left to index when the sync ends. A sync that keeps the thread busy (a
 * fast provider) never lets this fire, and its tail is indexed in bulk (per TAIL_ROWS_MAX calls, and at the end).
 */
const IDLE_MS = 20;
const newestId = db.prepare('SELECT max(id) FROM cdrs').pluck();
let idle: ReturnType<typeof setTimeout> | undefined;
const indexWhileIdle = () => {
  idle = undefined;
  try {
    const after = tailStart(db);
    if (after !== null && (newestId.get() as number) - after >= IDLE_INDEX_ROWS) indexTail(db);
  } catch {
    /* kept as the tail: indexed at the end, or at the next open */
  }
};
reply({ type: 'ready' }); // loaded, connection open: commits may come here without waiting

/** Pages sent ahead of the commit `partsOf` (writer.ts POST_ROWS); parts of any other commit are dropped. */
let parts: CommitRequest['pages'] = [];
let partsOf: number | null = null;

port.on('message', (msg: WriterRequest) => {
  clearTimeout(idle);
  if (msg.type === 'part') {
    if (partsOf !== msg.id) parts = [];
    partsOf = msg.id;
    parts.push(...msg.pages);
    return;
  }
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
  const req = partsOf === msg.id ? { ...msg.req, pages: [...parts, ...msg.req.pages] } : msg.req;
  parts = [];
  partsOf = null;
  try {
    wrote = true;
    reply({ type: 'committed', counts: store.commit(req) });
    idle = setTimeout(indexWhileIdle, IDLE_MS);
  } catch (err) {
    const e = err as Error & { code?: unknown };
    reply({ type: 'failed', error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) } });
  }
});
