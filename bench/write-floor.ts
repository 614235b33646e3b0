// What storing a synced call costs, piece by piece (issue 20, the loopback goal): the same prepared calls written
// by a bare INSERT into a table with no key and no index, then with each piece the app adds, on one thread, in
// BATCH_ROWS transactions; and the same pieces built in bulk after the rows are in (what deferring them would
// cost at the end). Thread CPU time: the figures hold on a busy machine. Run by bench/sync.ts.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { CONTENT_COLUMNS, CdrWriter, type PreparedCdr } from '../electron/data/db/cdrs.ts';
import { rebuildTotals } from '../electron/data/summary/totals.ts';
import { BATCH_ROWS } from '../electron/data/sync/queue.ts';
import { openWorkspace, type Workspace } from '../electron/data/workspace.ts';
import { measure, perSecText, type Figure } from './measure.ts';

export interface WriteFloor {
  /** INSERT into a copy of cdrs without its UNIQUE (account, call id) key: no index, no FTS, no totals. */
  bare: Figure;
  /** The upsert (INSERT … ON CONFLICT DO NOTHING) on cdrs with only its key. */
  key: Figure;
  /** The same with every secondary B-tree index of cdrs. */
  btree: Figure;
  /** CdrWriter as a large sync's writer thread runs it: totals and costs in step, FTS in bulk per TAIL_ROWS_MAX. */
  deferred: Figure;
  /** CdrWriter in step: every index, both FTS indexes and the totals in each transaction. */
  inStep: Figure;
  /** Built in bulk once the rows are in (on the `key` cache): the secondary indexes, both FTS indexes, the totals. */
  bulk: { btree: Figure; fts: Figure; totals: Figure };
}

const columns = ['account_id', 'call_id', ...CONTENT_COLUMNS, 'cost', 'first_seen_at', 'updated_at'];
const insertSql = (table: string, upsert: boolean) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${upsert ? ' ON CONFLICT (account_id, call_id) DO NOTHING' : ''}`;

function secondaryIndexes(db: Database): { name: string; sql: string }[] {
  return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cdrs' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
}

/** Rows written BATCH_ROWS per transaction by `write`, timed. */
function timedBatches(db: Database, rows: readonly PreparedCdr[], write: (batch: readonly PreparedCdr[]) => void): Promise<Figure> {
  const tx = db.transaction(write);
  return measure(rows.length, () => {
    for (let i = 0; i < rows.length; i += BATCH_ROWS) tx(rows.slice(i, i + BATCH_ROWS));
  });
}

export async function runWriteFloor(dir: string, zone: string, rows: readonly PreparedCdr[], log: (line: string) => void): Promise<WriteFloor> {
  const open = async (name: string): Promise<{ ws: Workspace; id: number }> => {
    const ws = openWorkspace(join(dir, name));
    const a = await ws.accounts.add({ name, provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: zone, secrets: { token: 't', apiKey: 'k' } });
    return { ws, id: a.id };
  };
  const now = Date.now();
  const values = (id: number, r: PreparedCdr) => [id, r.callId, ...r.content, null, now, now];

  const a = await open('floor-bare');
  const tableSql = (a.ws.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'cdrs'").pluck().get() as string)
    .replace(/^CREATE TABLE cdrs/, 'CREATE TABLE cdrs_bare').replace(/,\s*UNIQUE\s*\(account_id,\s*call_id\)/, '');
  a.ws.db.exec(tableSql);
  const bareInsert = a.ws.db.prepare(insertSql('cdrs_bare', false));
  const bare = await timedBatches(a.ws.db, rows, (b) => b.forEach((r) => bareInsert.run(values(a.id, r))));
  a.ws.close();

  const b = await open('floor-key');
  const indexes = secondaryIndexes(b.ws.db);
  for (const i of indexes) b.ws.db.exec(`DROP INDEX ${i.name}`);
  const keyInsert = b.ws.db.prepare(insertSql('cdrs', true));
  const key = await timedBatches(b.ws.db, rows, (batch) => batch.forEach((r) => keyInsert.run(values(b.id, r))));
  const n = rows.length;
  const bulkBtree = await measure(n, () => indexes.forEach((i) => b.ws.db.exec(i.sql)));
  const bulkFts = await measure(n, () => b.ws.db.exec(`INSERT INTO cdrs_fts(cdrs_fts) VALUES ('rebuild'); INSERT INTO cdrs_phone(cdrs_phone) VALUES ('rebuild');`));
  const bulkTotals = await measure(n, () => b.ws.db.transaction(() => rebuildTotals(b.ws.db, b.id))());
  b.ws.close();

  const c = await open('floor-btree');
  const btreeInsert = c.ws.db.prepare(insertSql('cdrs', true));
  const btree = await timedBatches(c.ws.db, rows, (batch) => batch.forEach((r) => btreeInsert.run(values(c.id, r))));
  c.ws.close();

  const d = await open('floor-deferred');
  const deferring = new CdrWriter(d.ws.db, { deferIndex: true });
  const deferred = await timedBatches(d.ws.db, rows, (batch) => deferring.writePrepared(d.id, [batch], now));
  d.ws.close();

  const e = await open('floor-in-step');
  const inStepWriter = new CdrWriter(e.ws.db);
  const inStep = await timedBatches(e.ws.db, rows, (batch) => inStepWriter.writePrepared(e.id, [batch], now));
  e.ws.close();

  log(`bare INSERT (no key, no index, no FTS, no totals): ${perSecText(bare)}`);
  log(`+ the upsert key (account, call id): ${perSecText(key)}`);
  log(`+ ${indexes.length} secondary B-tree indexes: ${perSecText(btree)}`);
  log(`CdrWriter, FTS deferred to the tail (a large sync's writer thread): ${perSecText(deferred)}`);
  log(`CdrWriter in step (every index, FTS and totals per transaction): ${perSecText(inStep)}`);
  log(`built in bulk after: B-tree indexes ${perSecText(bulkBtree)}; FTS ${perSecText(bulkFts)}; totals ${perSecText(bulkTotals)}`);
  return { bare, key, btree, deferred, inStep, bulk: { btree: bulkBtree, fts: bulkFts, totals: bulkTotals } };
}
