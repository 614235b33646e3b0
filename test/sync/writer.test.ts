// The sync writer (sync/writer.ts): a large sync moves its commits to a thread with its own connection, in
// order, each still pages + cursor in one transaction; a commit the thread cannot make fails with SQLite's own
// error and leaves the cache as it was; and the app's bundle finds the thread's code beside it.
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { startSarvVoiceSim } from '../../electron/data/providers/sarv-voice/simulator.ts';
import { WritePath } from '../../electron/data/db/write-path.ts';
import { searchTotal } from '../../electron/data/search/search.ts';
import { IDLE_INDEX_ROWS, tailSize } from '../../electron/data/search/tail.ts';
import { syncAccounts, type SyncProgress } from '../../electron/data/sync/engine.ts';
import { AccountStore, commitPageOf, type CommitRequest } from '../../electron/data/sync/store.ts';
import * as Writer from '../../electron/data/sync/writer.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { cachedCalls, differences } from '../helpers/provider-oracle.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };

describe('a sync larger than THREAD_AFTER_ROWS', () => {
  const calls = Writer.THREAD_AFTER_ROWS + 2_500;
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 11, calls }), ['Big']);

  it('commits on the writer thread once past the threshold, exactly the provider\'s calls, and a re-sync changes nothing', async () => {
    const events: SyncProgress[] = [];
    // Whether the run's SyncWriter had moved to its thread, seen as the run closes it.
    let threaded = false;
    const close = Writer.SyncWriter.prototype.close;
    const spy = vi.spyOn(Writer.SyncWriter.prototype, 'close').mockImplementation(function (this: Writer.SyncWriter) {
      threaded ||= this.threaded;
      return close.call(this);
    });
    const [r] = await syncAccounts(fx.ws, { http, onProgress: (p) => events.push(p) }).finally(() => spy.mockRestore());
    expect(threaded).toBe(true);
    const { complete, verdict, ...counts } = r!;
    expect(counts).toEqual({ name: 'Big', fetched: calls, inserted: calls, updated: 0, notFound: 0, error: null });
    expect(complete).not.toBe(false); // nothing missing (null until the adapter states counts to check against)
    expect(verdict.status).not.toBe('incomplete');
    expect(differences(cachedCalls(fx.ws, 'Big'), fx.sim.expected)).toEqual([]);
    // Progress still comes page by page, in order, as each commit lands.
    expect(events.map((e) => e.fetched)).toEqual([...events.map((e) => e.fetched)].sort((a, b) => a - b));
    expect(events.at(-1)!.fetched).toBe(calls);
    const run = fx.ws.db.prepare('SELECT fetched, inserted, updated FROM sync_runs ORDER BY id DESC LIMIT 1').get();
    expect(run).toEqual({ fetched: calls, inserted: calls, updated: 0 });

    const [again] = await syncAccounts(fx.ws, { http, writer: 'thread', from: '2000-01-01' });
    expect(again).toMatchObject({ fetched: calls, inserted: 0, updated: 0, error: null });
  }, 120_000);

  it('the data host\'s guarded committer, kept open after the sync: the sync\'s search tail is indexed when it ends', async () => {
    await fx.addAccount('Host');
    const committer = new Writer.SyncWriter(fx.ws.db, new AccountStore(fx.ws.db), 'thread', new WritePath(fx.ws.db, { guard: true }));
    try {
      const [r] = await syncAccounts(fx.ws, { accounts: ['Host'], http, committer });
      expect(r!.error).toBeNull();
      expect(committer.threaded).toBe(true);
      expect(tailSize(fx.ws.db)).toBe(0);
    } finally {
      await committer.close();
      committer.path.close();
    }
  }, 120_000);
});

describe('a progress listener that throws', () => {
  const calls = Writer.THREAD_AFTER_ROWS + 2_500;
  // Answers 40 ms away, as a provider's are: the calls arrive over several commits, not all before the first.
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 11, calls, latencyMs: 40 }), []);

  it('stops the sync with its error; what was committed stays, the next sync completes it', async () => {
    await fx.addAccount('Listener');
    const [r] = await syncAccounts(fx.ws, {
      accounts: ['Listener'], http, writer: 'thread',
      onProgress: (p) => {
        if (p.fetched >= 3000) throw new Error('the window went away');
      },
    });
    expect(r!.error).toBe('account "Listener": the window went away');
    const kept = cachedCalls(fx.ws, 'Listener').length;
    expect(kept).toBeGreaterThanOrEqual(3000);
    expect(kept).toBeLessThan(calls);
    const [again] = await syncAccounts(fx.ws, { accounts: ['Listener'], http });
    expect(again!.error).toBeNull();
    expect(again!.inserted).toBe(calls - kept);
    expect(differences(cachedCalls(fx.ws, 'Listener'), fx.sim.expected)).toEqual([]);
  }, 120_000);

});

describe('a first sync starts the writer thread as it starts', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 12, calls: 1_500 }), ['First']);

  it('a first sync starts it before any commit, far below THREAD_AFTER_ROWS; a sync that has a cursor does not', async () => {
    const first = new Writer.SyncWriter(fx.ws.db, new AccountStore(fx.ws.db));
    let startedBeforeFirstCommit: boolean | null = null;
    try {
      const [r] = await syncAccounts(fx.ws, {
        http, committer: first, batchRows: 100,
        onProgress: () => void (startedBeforeFirstCommit ??= first.threadsStarted === 1),
      });
      expect(r).toMatchObject({ inserted: 1_500, error: null, complete: true });
    } finally {
      await first.close();
    }
    expect(startedBeforeFirstCommit).toBe(true);
    expect(differences(cachedCalls(fx.ws, 'First'), fx.sim.expected)).toEqual([]);

    const again = new Writer.SyncWriter(fx.ws.db, new AccountStore(fx.ws.db));
    try {
      const [r] = await syncAccounts(fx.ws, { http, committer: again });
      expect(r).toMatchObject({ inserted: 0, error: null });
      expect(again.threadsStarted).toBe(0);
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('a by-id sync with more ids pending than THREAD_AFTER_ROWS starts the writer thread as it starts', () => {
  const fx = simulatorWorkspace(() => startSarvVoiceSim({ seed: 13, calls: Writer.THREAD_AFTER_ROWS + 1_500 }), ['Ids']);

  it('before any commit with that many ids; not with fewer', async () => {
    const few = new Writer.SyncWriter(fx.ws.db, new AccountStore(fx.ws.db));
    try {
      const [r] = await syncAccounts(fx.ws, { http, committer: few, ids: fx.sim.ids.slice(0, 1_000) });
      expect(r!.error).toBeNull();
      expect(few.threadsStarted).toBe(0);
    } finally {
      await few.close();
    }

    const many = new Writer.SyncWriter(fx.ws.db, new AccountStore(fx.ws.db));
    let startedBeforeFirstCommit: boolean | null = null;
    try {
      const [r] = await syncAccounts(fx.ws, {
        http, committer: many, ids: fx.sim.ids, batchRows: 100,
        onProgress: () => void (startedBeforeFirstCommit ??= many.threadsStarted === 1),
      });
      expect(r!.error).toBeNull();
      expect(r!.inserted).toBeGreaterThan(Writer.THREAD_AFTER_ROWS);
    } finally {
      await many.close();
    }
    expect(startedBeforeFirstCommit).toBe(true);
    expect(differences(cachedCalls(fx.ws, 'Ids'), fx.sim.expected)).toEqual([]);
  }, 60_000);
});

/** A call of account `accountId`'s pages, minimal but valid (or not, with another status). */
function call(id: string, status = 'answered'): NormalizedCdr {
  return {
    callId: id, campaignId: 'c1', campaign: 'Spring', direction: 'out', source: '021 555 0100', destination: '0722 000 001',
    status: status as NormalizedCdr['status'], providerStatus: 'ANSWERED', startedAt: Date.UTC(2024, 4, 1, 9), answeredAt: null,
    endedAt: null, durationSec: 30, billSec: 25, waitSec: 5, keypress: null, agent: 'ana', recording: null, extraText: null, raw: { id },
  };
}

describe('SyncWriter', () => {
  let ws: Workspace;
  let accountId: number;
  let runId: number;
  beforeAll(async () => {
    isolatedKeyFile();
    ws = openWorkspace(tempDir());
    await ws.accounts.add({ name: 'W', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'Europe/Bucharest', secrets: { token: 't', apiKey: 'k' } });
    accountId = ws.accounts.get('W').id;
    runId = new AccountStore(ws.db).startRun(accountId, Date.now(), { from: null, to: null });
    return () => ws.close();
  });

  const request = (cursor: number, cdrs: NormalizedCdr[]): CommitRequest => ({
    accountId, stream: 'default', runId, pages: [commitPageOf({ cdrs, cursor })],
    before: { fetched: 0, inserted: 0, updated: 0, notFound: 0 }, window: { from: null, to: null }, runAt: Date.now(), byId: false,
  });
  const count = () => ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get();
  const cursor = () => ws.db.prepare('SELECT cursor FROM sync_state WHERE account_id = ?').pluck().get(accountId);

  it('in auto mode commits in line, then on the thread once the run has passed the threshold', async () => {
    const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db));
    try {
      const many = Array.from({ length: Writer.THREAD_AFTER_ROWS }, (_, i) => call(`a${i}`));
      expect(await writer.commit(request(1, many))).toEqual([{ inserted: many.length, updated: 0 }]);
      expect(writer.threaded).toBe(false);
      expect(await writer.commit(request(2, [call('b1'), call('a0')]))).toEqual([{ inserted: 1, updated: 0 }]);
      expect(writer.threaded).toBe(true);
      expect(count()).toBe(many.length + 1);
      expect(cursor()).toBe('2');
      // The thread defers indexing (search/tail.ts): its row is found by search at once, as a tail call.
      expect(searchTotal(ws, { text: 'b1' })).toBe(1);
      expect(tailSize(ws.db)).toBe(1);
    } finally {
      await writer.close();
    }
    // Closing the writer indexes the tail in bulk.
    expect(ws.db.prepare("SELECT count(*) FROM cdrs_fts WHERE cdrs_fts MATCH 'b1'").pluck().get()).toBe(1);
    expect(tailSize(ws.db)).toBe(0);
  });

  it('a thread left idle between commits indexes a tail of IDLE_INDEX_ROWS calls or more, before the writer closes', async () => {
    const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db), 'thread');
    try {
      const many = Array.from({ length: IDLE_INDEX_ROWS }, (_, i) => call(`idle${i}`));
      await writer.commit(request(2, many));
      // Nothing else comes: the thread, idle, indexes its tail while the writer is still open.
      await vi.waitFor(() => expect(tailSize(ws.db)).toBe(0), { timeout: 5000, interval: 20 });
      expect(ws.db.prepare("SELECT count(*) FROM cdrs_fts WHERE cdrs_fts MATCH 'idle1999'").pluck().get()).toBe(1);
    } finally {
      await writer.close();
    }
  });

  it('a commit the thread cannot make fails with SQLite\'s error, keeps the cache and the cursor, and the thread goes on', async () => {
    const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db), 'thread');
    try {
      const before = count();
      const bad = writer.commit(request(3, [call('c1'), call('c2', 'exploded')]));
      await expect(bad).rejects.toMatchObject({ name: 'SqliteError', code: 'SQLITE_CONSTRAINT_CHECK' });
      expect(count()).toBe(before);
      expect(cursor()).toBe('2');
      expect(await writer.commit(request(4, [call('c1')]))).toEqual([{ inserted: 1, updated: 0 }]);
      expect(cursor()).toBe('4');
    } finally {
      await writer.close();
    }
  });

  it('a thread started early takes the commits once it has loaded, in order, in line until then', async () => {
    const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db));
    try {
      const before = count() as number;
      writer.startThread();
      let n = 0;
      const deadline = Date.now() + 30_000;
      while (!writer.threaded && Date.now() < deadline) {
        n++;
        expect(await writer.commit(request(100 + n, [call(`early${n}`)]))).toEqual([{ inserted: 1, updated: 0 }]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(writer.threaded).toBe(true); // after n commits, far below THREAD_AFTER_ROWS
      expect(count()).toBe(before + n);
      expect(cursor()).toBe(String(100 + n));
      expect(writer.threadsStarted).toBe(1);
    } finally {
      await writer.close();
    }
  });

  it('a lead whose raw record is its call\'s is sent as a reference to that call\'s text, and stored the same, in line and on the thread', async () => {
    const leadRows = (n: number) => ws.db.prepare('SELECT lead_id, call_id, raw FROM leads WHERE account_id = ? AND lead_id LIKE ? ORDER BY lead_id').all(accountId, `L${n}-%`);
    for (const [n, mode] of [[1, 'inline'], [2, 'thread']] as const) {
      const a = call(`lead-call-${n}a`);
      const b = call(`lead-call-${n}b`);
      const own = { lead_uuid: `L${n}-3`, note: 'never called', name: 'Nguyễn Văn An' };
      const page = commitPageOf({
        cdrs: [a, b],
        leads: [
          { leadId: `L${n}-1`, campaignId: 'c', callId: a.callId, raw: a.raw },
          { leadId: `L${n}-2`, campaignId: 'c', callId: b.callId, raw: b.raw },
          { leadId: `L${n}-3`, campaignId: 'c', callId: null, raw: own },
        ],
      });
      // Once as the call's raw column; the lead names the row instead of carrying a copy.
      expect(page.leads!.map((l) => [l.rawOfRow, l.rawJson])).toEqual([[0, undefined], [1, undefined], [undefined, JSON.stringify(own)]]);
      const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db), mode);
      try {
        await writer.commit({ ...request(n, []), pages: [page] });
      } finally {
        await writer.close();
      }
      expect(leadRows(n)).toEqual([
        { lead_id: `L${n}-1`, call_id: a.callId, raw: JSON.stringify(a.raw) },
        { lead_id: `L${n}-2`, call_id: b.callId, raw: JSON.stringify(b.raw) },
        { lead_id: `L${n}-3`, call_id: null, raw: JSON.stringify(own) },
      ]);
    }
  });

  it('a commit larger than POST_ROWS crosses to the thread in parts, the event loop turning between them, and lands as one transaction', async () => {
    const writer = new Writer.SyncWriter(ws.db, new AccountStore(ws.db), 'thread');
    const sent: string[] = [];
    const post = Worker.prototype.postMessage;
    const spy = vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, msg: unknown) {
      sent.push((msg as { type: string }).type);
      return post.call(this, msg);
    });
    const size = Math.ceil(Writer.POST_ROWS * 0.8);
    const pages = [0, 1, 2].map((p) => commitPageOf({ cdrs: Array.from({ length: size }, (_, i) => call(`part${p}-${i}`)), cursor: 100 + p }));
    try {
      const committed = writer.commit({ ...request(0, []), pages });
      setImmediate(() => sent.push('turn'));
      expect(await committed).toEqual(pages.map(() => ({ inserted: size, updated: 0 })));
    } finally {
      spy.mockRestore();
      await writer.close();
    }
    // No two pages fit in one message: two parts, then the commit with the last page; answers are read between.
    expect(sent.slice(0, 4)).toEqual(['part', 'turn', 'part', 'commit']);
    expect(ws.db.prepare("SELECT count(*) FROM cdrs WHERE call_id LIKE 'part%'").pluck().get()).toBe(3 * size);
    expect(cursor()).toBe('102');
  });

  it('a database in memory always commits in line', async () => {
    const { openMemoryDatabase } = await import('../../electron/data/db/open.ts');
    const db = openMemoryDatabase();
    const writer = new Writer.SyncWriter(db, new AccountStore(db), 'thread');
    db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (?, 'M', 'pbx-cdr', 'x', 'UTC', 0, 0)").run(accountId);
    db.prepare('INSERT INTO sync_runs (id, account_id, started_at) VALUES (?, ?, 0)').run(runId, accountId);
    expect(await writer.commit(request(1, [call('m1')]))).toEqual([{ inserted: 1, updated: 0 }]);
    expect(writer.threaded).toBe(false);
    await writer.close();
    db.close();
  });
});

describe('bundled sync writer', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  // Inside the repository, so the bundle's require('better-sqlite3') finds node_modules.
  const OUT = join(ROOT, 'test-artifacts', `writer-bundle-${process.pid}`);
  let bundled: typeof Writer;
  beforeAll(async () => {
    const { build } = await import('esbuild');
    const o = (await import(pathToFileURL(join(ROOT, 'build', 'bundle-options.mjs')).href)) as {
      common: Record<string, unknown>; metaUrl: Record<string, unknown>; syncWriterWorker: { entryPoints: string[]; file: string };
    };
    mkdirSync(OUT, { recursive: true });
    const quiet = { ...o.common, sourcemap: false, logLevel: 'silent' as const, packages: 'external' as const };
    // sync/writer.ts stands in for the data host that includes it.
    await build({ ...quiet, ...o.metaUrl, entryPoints: ['electron/data/sync/writer.ts'], outfile: join(OUT, 'host.cjs') });
    await build({ ...quiet, entryPoints: o.syncWriterWorker.entryPoints, outfile: join(OUT, o.syncWriterWorker.file) });
    bundled = createRequire(import.meta.url)(join(OUT, 'host.cjs')) as typeof Writer;
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds its thread beside the bundle and commits there', async () => {
    isolatedKeyFile();
    const ws = openWorkspace(tempDir());
    try {
      await ws.accounts.add({ name: 'B', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'UTC', secrets: { token: 't', apiKey: 'k' } });
      const id = ws.accounts.get('B').id;
      const store = new AccountStore(ws.db);
      const run = store.startRun(id, Date.now(), { from: null, to: null });
      const writer = new bundled.SyncWriter(ws.db, store, 'thread');
      const req: CommitRequest = {
        accountId: id, stream: 'default', runId: run, pages: [commitPageOf({ cdrs: [call('x1'), call('x2')], cursor: 9 })],
        before: { fetched: 0, inserted: 0, updated: 0, notFound: 0 }, window: { from: null, to: null }, runAt: Date.now(), byId: false,
      };
      expect(await writer.commit(req)).toEqual([{ inserted: 2, updated: 0 }]);
      expect(writer.threaded).toBe(true);
      await writer.close();
      expect(ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(id)).toBe(2);
    } finally {
      ws.close();
    }
  }, 20_000);
});
