// One writer for the data host (db/write-path.ts): every write of the host takes its turn on one path. An account
// edit asked while a large sync commit holds SQLite's write lock on the writer thread waits for it there (not in
// SQLite's busy handler: the host's busy timeout is 0 here, so it would fail at once) and lands after it. Outside
// a turn the host's connection is read-only, so a write that bypasses the path fails, while every writing
// channel works.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Reply } from '../../electron/data/host/dispatcher.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { AccountStore, commitPageOf } from '../../electron/data/sync/store.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { makeCdr } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const LARGE = 60_000;
const account = { provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'Europe/Bucharest', secrets: { token: 't', apiKey: 'k' } };

/** Resolves once another connection holds the file's write lock (BEGIN IMMEDIATE is refused at once). */
async function writeLockTaken(file: string, deadlineMs = 30_000): Promise<void> {
  const probe = new BetterSqlite3(file);
  probe.pragma('busy_timeout = 0');
  try {
    const end = Date.now() + deadlineMs;
    while (Date.now() < end) {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error('the writer thread never took the write lock');
  } finally {
    probe.close();
  }
}

/** The result of a call that must succeed; its error, as the failure, when it did not. */
const ok = (r: Reply) => {
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  return r.result;
};

describe('one writer in the data host', { timeout: 120_000 }, () => {
  it('an account edit asked while a large commit runs on the writer thread waits its turn and lands after it', async () => {
    isolatedKeyFile();
    const ws = openWorkspace(tempDir());
    const host = createDispatcher(ws, { writer: 'thread' });
    try {
      ok(await host.dispatch('accounts.add', { name: 'Busy', ...account }));
      const id = ws.accounts.get('Busy').id;
      const runId = await host.writer.path.write(() => new AccountStore(ws.db).startRun(id, Date.now(), { from: null, to: null }));
      // Without the path the edit below would meet the thread's lock in SQLite and fail with SQLITE_BUSY at once.
      ws.db.pragma('busy_timeout = 0');

      const cdrs = Array.from({ length: LARGE }, (_, i) => makeCdr({ callId: `big-${i}` }));
      const order: string[] = [];
      const commit = host.writer
        .commit({
          accountId: id, stream: 'default', runId, pages: [commitPageOf({ cdrs, cursor: 'after-big' })],
          before: { fetched: 0, inserted: 0, updated: 0, notFound: 0 }, window: { from: null, to: null }, runAt: Date.now(), byId: false,
        })
        .then((counts) => (order.push('commit'), counts));
      await writeLockTaken(ws.db.name);
      const edit = host.dispatch('accounts.edit', { name: 'Busy', patch: { baseUrl: 'http://127.0.0.1:10' } }).then((r) => (order.push('edit'), r));

      const [counts, edited] = await Promise.all([commit, edit]);
      expect(host.writer.threaded).toBe(true);
      expect(counts).toEqual([{ inserted: LARGE, updated: 0 }]);
      expect(ok(edited)).toMatchObject({ name: 'Busy', baseUrl: 'http://127.0.0.1:10', cdrCount: LARGE });
      expect(order).toEqual(['commit', 'edit']);
      expect(ws.db.prepare('SELECT cursor FROM sync_state WHERE account_id = ?').pluck().get(id)).toBe('"after-big"');
    } finally {
      await host.close();
      ws.close();
    }
  });

  it('outside its turns the host connection refuses writes; every writing channel goes through the path', async () => {
    isolatedKeyFile();
    const ws = openWorkspace(tempDir());
    const sim = await SIMULATORS['tel4vn-v3']({ seed: 8, calls: 40 });
    const done: { ok: boolean; error: string | null }[] = [];
    const host = createDispatcher(ws, { writer: 'auto', emit: (event, payload) => event === 'job.done' && done.push(payload as (typeof done)[number]) });
    try {
      // A write that bypasses the path: refused by SQLite, and nothing is stored.
      expect(() => ws.db.prepare("INSERT INTO saved_searches (name, filter, created_at, updated_at) VALUES ('x', '{}', 0, 0)").run()).toThrow(
        /readonly/,
      );
      await expect(ws.accounts.add({ name: 'Bypass', ...account })).rejects.toThrow(/readonly/);
      expect(ws.accounts.find('Bypass')).toBeUndefined();

      ok(await host.dispatch('accounts.add', { name: 'Path', provider: 'tel4vn-v3', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets }));
      ok(await host.dispatch('sync.start', { accounts: ['Path'] }));
      while (done.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(done[0]).toMatchObject({ ok: true, error: null });
      expect(ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(sim.expected.length);
      expect(ws.accounts.get('Path').lastSyncAt).not.toBeNull(); // the run's end was written too

      ok(await host.dispatch('accounts.edit', { name: 'Path', patch: { timezone: 'Asia/Tehran' } })); // reprices its calls
      ok(await host.dispatch('search.saved.save', { name: 'Answered', filter: { statuses: ['answered'] } }));
      ok(await host.dispatch('search.saved.delete', { name: 'Answered' }));
      ok(await host.dispatch('rates.billing', { account: 'Path', patch: { currency: 'EUR' } }));
      expect(ok(await host.dispatch('rates.import', { account: 'Path', text: 'prefix,per_minute,increment,effective_from\n84,0.5,1/1,2024-01-01\n' }))).toMatchObject({ imported: 1 });
      ok(await host.dispatch('rates.clear', { account: 'Path' }));
      ok(await host.dispatch('accounts.remove', { name: 'Path' }));
      expect(ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(0);

      // Still read-only between turns.
      expect(() => ws.db.prepare('DELETE FROM sync_runs').run()).toThrow(/readonly/);
    } finally {
      await host.close();
      await sim.close();
    }
    // A closed host hands the connection back writable (the CLI and tests write on it next).
    expect(ws.db.prepare("INSERT INTO saved_searches (name, filter, created_at, updated_at) VALUES ('x', '{}', 0, 0)").run().changes).toBe(1);
    ws.close();
  });
});
