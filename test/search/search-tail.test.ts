// The search tail (search/tail.ts): calls written by a deferring CdrWriter are not in the FTS indexes, yet every
// search (text, phone, number-like text, combined with other filters; totals, pages, cursors, sorts) answers
// exactly what the same calls answer when indexed in step, including calls updated below and above the watermark.
// Then the tail is indexed in bulk and both FTS indexes match the calls table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { exportCalls } from '../../electron/data/export/run.ts';
import { compileFilterDetail } from '../../electron/data/search/filter.ts';
import { explainSearch, search, searchPage, searchTotal } from '../../electron/data/search/search.ts';
import { matchesWordPrefixes } from '../../electron/data/search/tail-words.ts';
import { indexTail, tailSize, tailStart, TAIL_ROWS_MAX } from '../../electron/data/search/tail.ts';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, SYNTHETIC_ACCOUNTS, syntheticCdrs } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2025, 3, 1);
const PER_ACCOUNT = 1200;

/** Throws (SQLITE_CORRUPT_VTAB) when an external-content index differs from what its content table holds. */
function indexesMatchRows(ws: Workspace): void {
  for (const t of ['cdrs_fts', 'cdrs_phone']) ws.db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
}

/** A call's text changed by a later sync: its old words must stop matching, its new ones match. */
const renamed = (c: NormalizedCdr, i: number): NormalizedCdr => ({ ...c, extraText: `Zzrenamed${i % 3} Qqlater`, destination: `0999 55${i % 10} 123` });

const FILTERS: SearchFilter[] = [
  { text: 'popescu' }, { text: 'ștefan' }, { text: 'stef' }, { text: 'علي' }, { text: 'nguyen van' }, { text: 'ngu' },
  { text: 'khuyen mai' }, { text: 'sharma' }, { text: 'zzrenamed1' }, { text: 'qqlater' }, { text: 'zz' },
  { phone: '0722' }, { phone: '912' }, { phone: '99955' }, { phone: '98' }, { text: '0912' }, { text: '+40 312' }, { text: '91' },
  { text: 'popescu', statuses: ['answered'] }, { text: 'sharma', accounts: ['Pune Voice'], statuses: ['answered', 'busy'] },
  { phone: '0722', direction: 'in', minDuration: 30 }, { text: 'zzrenamed', accounts: ['Bucharest PBX', 'Saigon Autocall'] },
  { text: 'reînnoire', from: '2025-02-01', to: '2025-03-01' }, { text: 'payment reminder', phone: '91' },
];
/** cdrs_fts's tokenizer (migration 002). */
const TOKENIZER = 'unicode61 remove_diacritics 0';
const SORTS: (SortSpec | undefined)[] = [undefined, { field: 'durationSec', desc: false }, { field: 'agent', desc: true }];

/** Every answer of the filters, sorts, pages and cursors above: what must be the same in both caches. */
function answers(ws: Workspace): unknown[] {
  const out: unknown[] = [];
  for (const filter of FILTERS) {
    out.push(searchTotal(ws, filter));
    for (const sort of SORTS) {
      const first = search(ws, { filter, sort, limit: 25 });
      const next = first.next ? search(ws, { filter, sort, limit: 25, after: first.next }).rows.map((r) => r.callId) : [];
      out.push([first.total, first.rows.map((r) => r.callId), next]);
    }
    out.push(search(ws, { filter, limit: 10, offset: 30 }).rows.map((r) => r.callId));
  }
  return out;
}

/** Runs fn on a new, empty cache of its own, closed after. */
async function inNewCache(fn: (ws: Workspace) => Promise<void>): Promise<void> {
  isolatedKeyFile();
  const ws = openWorkspace(tempDir());
  try {
    await fn(ws);
  } finally {
    ws.close();
  }
}

describe('search over a deferred tail', () => {
  let deferred: Workspace;
  let indexed: Workspace;
  beforeAll(async () => {
    isolatedKeyFile();
    deferred = openWorkspace(tempDir());
    indexed = openWorkspace(tempDir());
    for (const ws of [deferred, indexed]) {
      const plain = new CdrWriter(ws.db);
      const later = ws === deferred ? new CdrWriter(ws.db, { deferIndex: true }) : plain;
      const accounts: { id: number; calls: NormalizedCdr[] }[] = [];
      for (const [i, a] of SYNTHETIC_ACCOUNTS.entries()) {
        const calls = [...syntheticCdrs({ script: a.script, timezone: a.timezone, count: PER_ACCOUNT, seed: 7 + i, from: FROM, to: TO })];
        accounts.push({ id: await addSyntheticAccount(ws, a), calls });
      }
      // Older calls indexed in step; the newer ones, then later versions of some of both (below and above the
      // watermark), by the writer under test.
      for (const { id, calls } of accounts) ws.db.transaction(() => plain.write(id, calls.slice(0, PER_ACCOUNT / 2)))();
      for (let at = PER_ACCOUNT / 2; at < PER_ACCOUNT; at += 200) {
        for (const { id, calls } of accounts) ws.db.transaction(() => later.write(id, calls.slice(at, at + 200)))();
      }
      for (const { id, calls } of accounts) ws.db.transaction(() => later.write(id, calls.filter((_, k) => k % 17 === 0).map(renamed)))();
    }
  }, 120_000);
  afterAll(() => {
    deferred?.close();
    indexed?.close();
  });

  it('counts a total with text or phone as the indexed calls plus the tail read alone', () => {
    const counts: string[] = [];
    const prepare = deferred.db.prepare.bind(deferred.db);
    deferred.db.prepare = ((sql: string) => {
      if (/^SELECT count\(\*\)/.test(sql)) counts.push(sql);
      return prepare(sql);
    }) as typeof deferred.db.prepare;
    try {
      for (const filter of [{ text: 'popescu' }, { phone: '0722', direction: 'in' as const }, { text: '91' }]) searchTotal(deferred, filter);
    } finally {
      delete (deferred.db as { prepare?: unknown }).prepare;
    }
    // Each total: one count of the indexed calls, with no tail test in it, and one of the tail's id range alone.
    const tailCounts = counts.filter((sql) => sql.includes('NOT INDEXED WHERE id > (SELECT after_id FROM search_tail)'));
    expect(tailCounts).toHaveLength(3);
    expect(counts.filter((sql) => !tailCounts.includes(sql) && !/LIMIT \d+\)$/.test(sql))).toHaveLength(3);
    for (const sql of counts) expect(sql).not.toContain('id IN (SELECT id FROM cdrs WHERE id > (SELECT after_id');
  });

  it('walks a match in most calls testing each call\'s own text and digits, the tail\'s calls among them', () => {
    const walked: string[] = [];
    for (const filter of [{ text: 'answered' }, { text: 'answered', direction: 'out' as const }, { phone: '091' }]) {
      for (const sort of SORTS) {
        const pages = (ws: Workspace) => {
          const first = searchPage(ws, { filter, sort, limit: 2 });
          return [first.rows.map((r) => r.callId), first.next ? searchPage(ws, { filter, sort, limit: 2, after: first.next }).rows.map((r) => r.callId) : []];
        };
        expect(pages(deferred), JSON.stringify({ filter, sort })).toEqual(pages(indexed));
        walked.push(...explainSearch(deferred, { filter, sort, limit: 2 }).statements.filter((q) => /^SELECT id, \(.*(search_tail_words|instr\(phone_digits)/.test(q)));
      }
    }
    expect(walked.length).toBeGreaterThan(0);
    // No FTS list and no tail of its own: every call, in the tail or not, is tested on its columns.
    for (const q of walked) expect(q).not.toMatch(/cdrs_fts|cdrs_phone|after_id/);
  });

  it('answers every search exactly as the indexed cache does, then indexes the tail in bulk', () => {
    expect(tailStart(indexed.db)).toBeNull();
    expect(tailSize(deferred.db)).toBe(SYNTHETIC_ACCOUNTS.length * (PER_ACCOUNT / 2)); // every account's newer half
    const expected = answers(indexed);
    expect(answers(deferred)).toEqual(expected);
    // Searches find tail calls at all (not only empty answers agreeing).
    expect(searchTotal(deferred, { text: 'qqlater' })).toBeGreaterThan(0);
    expect(searchTotal(deferred, { text: 'zzrenamed1' })).toBeGreaterThan(0);

    indexesMatchRows(indexed);
    expect(indexTail(deferred.db)).toBeGreaterThan(0);
    expect(tailStart(deferred.db)).toBeNull();
    indexesMatchRows(deferred);
    expect(answers(deferred)).toEqual(expected);
  });
});

describe('a page of a word beside one status, with a tail', () => {
  // 30,000 calls, a third busy, "zebra" in every 12th (as in plan-and-paging.test.ts), the newest 2,000 in the tail.
  it('walks that status\'s calls in start order, the FTS matches and the tail\'s matches both lists of ids', async () => {
    await inNewCache(async (ws) => {
      const id = await addSyntheticAccount(ws, SYNTHETIC_ACCOUNTS[0]!);
      const calls = Array.from({ length: 30_000 }, (_, i) => makeCdr({
        callId: `z${i}`,
        startedAt: Date.UTC(2024, 0, 1) + i * 60_000,
        status: i % 3 === 0 ? 'busy' : 'answered',
        extraText: i % 12 === 0 ? 'zebra' : '',
      }));
      ws.db.transaction(() => new CdrWriter(ws.db).write(id, calls.slice(0, 28_000)))();
      ws.db.transaction(() => new CdrWriter(ws.db, { deferIndex: true }).write(id, calls.slice(28_000)))();
      expect(tailSize(ws.db)).toBe(2000);
      const filter: SearchFilter = { text: 'zebra', statuses: ['busy'] };
      // Without the tail marked as a list, SQLite reads the FTS matches and the tail apart (MULTI-INDEX OR), then sorts.
      const { page } = explainSearch(ws, { filter });
      expect(page.filter((d) => /cdrs /.test(d) && !d.includes('(rowid>?)'))).toEqual(['SEARCH cdrs USING COVERING INDEX cdrs_status_started (status=?)']);
      expect(page).not.toContain('USE TEMP B-TREE FOR ORDER BY');
      // The newest matches are the tail's.
      expect(search(ws, { filter }).rows.map((r) => r.callId)).toEqual(Array.from({ length: 100 }, (_, k) => `z${29_988 - 12 * k}`));
      expect(searchTotal(ws, filter)).toBe(2500);
    });
  }, 60_000);
});

describe('the deferring writer', () => {
  it('indexes its tail in bulk once it reaches TAIL_ROWS_MAX, and a writer in step indexes a tail left behind first', async () => {
    await inNewCache(async (ws) => {
      const id = await addSyntheticAccount(ws, SYNTHETIC_ACCOUNTS[2]!);
      const deferring = new CdrWriter(ws.db, { deferIndex: true });
      const call = (i: number) => makeCdr({ callId: `c${i}`, extraText: `name${i % 50} bulk`, destination: `0740 ${String(i).padStart(6, '0')}` });
      const batch = 4000;
      let written = 0;
      for (; written + batch < TAIL_ROWS_MAX; written += batch) {
        ws.db.transaction(() => deferring.write(id, Array.from({ length: batch }, (_, k) => call(written + k))))();
        expect(tailSize(ws.db)).toBe(written + batch);
      }
      ws.db.transaction(() => deferring.write(id, Array.from({ length: batch }, (_, k) => call(written + k))))();
      written += batch;
      expect(tailStart(ws.db)).toBeNull(); // reached the threshold: indexed in that same transaction
      indexesMatchRows(ws);
      expect(searchTotal(ws, { text: 'bulk' })).toBe(written);

      ws.db.transaction(() => deferring.write(id, [call(written), call(written + 1)]))();
      expect(tailSize(ws.db)).toBe(2);
      // A writer in step (a small sync) meets the tail: it is indexed before the new calls.
      ws.db.transaction(() => new CdrWriter(ws.db).write(id, [call(written + 2), { ...call(0), extraText: 'changed' }]))();
      expect(tailStart(ws.db)).toBeNull();
      indexesMatchRows(ws);
      expect(searchTotal(ws, { text: 'bulk' })).toBe(written + 2);
      expect(searchTotal(ws, { phone: `${String(written + 1).padStart(6, '0')}` })).toBe(1);
      expect(searchTotal(ws, { text: 'changed' })).toBe(1);
    });
  }, 120_000);

  it('exports a filter\'s tail calls too, on the parallel export\'s own connections', async () => {
    await inNewCache(async (ws) => {
      const a = SYNTHETIC_ACCOUNTS[0]!;
      const id = await addSyntheticAccount(ws, a);
      const calls = [...syntheticCdrs({ script: a.script, timezone: a.timezone, count: 3000, seed: 3, from: FROM, to: TO })];
      ws.db.transaction(() => new CdrWriter(ws.db).write(id, calls.slice(0, 1500)))();
      ws.db.transaction(() => new CdrWriter(ws.db, { deferIndex: true }).write(id, calls.slice(1500)))();
      expect(tailSize(ws.db)).toBe(1500);
      const filter: SearchFilter = { text: 'nguyen' };
      const out = join(tempDir(), 'tail.csv');
      const r = await exportCalls(ws, { account: a.name, format: 'csv', out, filter, parallel: { parts: 3, minRows: 1, chunkRows: 101 } });
      expect(r.rows).toBe(searchTotal(ws, filter));
      expect(r.rows).toBeGreaterThan(0);
      indexTail(ws.db);
      expect(searchTotal(ws, filter)).toBe(r.rows);
    });
  });

  it('counts new calls as the tail when the calls under the watermark at the top of the table were removed', async () => {
    await inNewCache(async (ws) => {
      const [a, b] = [SYNTHETIC_ACCOUNTS[0]!, SYNTHETIC_ACCOUNTS[1]!];
      const [ida, idb] = [await addSyntheticAccount(ws, a), await addSyntheticAccount(ws, b)];
      const calls = (word: string, n: number) => Array.from({ length: n }, (_, i) => makeCdr({ callId: `${word}${i}`, extraText: word }));
      ws.db.transaction(() => new CdrWriter(ws.db).write(ida, calls('alpha', 50)))();
      ws.db.transaction(() => new CdrWriter(ws.db).write(idb, calls('beta', 50)))();
      const deferring = new CdrWriter(ws.db, { deferIndex: true });
      ws.db.transaction(() => deferring.write(idb, calls('betatail', 50)))();
      expect(tailStart(ws.db)).toBe(100);
      await ws.accounts.remove(b.name); // the newest call is now id 50, under the watermark
      ws.db.transaction(() => deferring.write(ida, calls('gamma', 30)))();
      expect(searchTotal(ws, { text: 'gamma' })).toBe(30);
      expect(searchTotal(ws, { text: 'beta' })).toBe(0);
      indexTail(ws.db);
      indexesMatchRows(ws);
      expect(searchTotal(ws, { text: 'gamma' })).toBe(30);
    });
  });

  it('keeps a filter compiled outside a read transaction exact when a tail begins before it runs', async () => {
    await inNewCache(async (ws) => {
      const id = await addSyntheticAccount(ws, SYNTHETIC_ACCOUNTS[0]!);
      ws.db.transaction(() => new CdrWriter(ws.db).write(id, [makeCdr({ callId: 'old', extraText: 'delta' })]))();
      // As a summary does: compiled first, run later in its own snapshot.
      const f = compileFilterDetail(ws, { text: 'delta' });
      ws.db.transaction(() => new CdrWriter(ws.db, { deferIndex: true }).write(id, [makeCdr({ callId: 'new', extraText: 'delta' })]))();
      expect(tailSize(ws.db)).toBe(1);
      expect(ws.db.prepare(`SELECT call_id FROM cdrs WHERE ${f.where} ORDER BY id`).pluck().all(...f.params)).toEqual(['old', 'new']);
    });
  });

  it('tests tail words as FTS5 prefix tokens: each query word starts a word of the text', () => {
    const hasWordPrefixes = (text: string, q: string) => matchesWordPrefixes(TOKENIZER, text, q.split(' '));
    expect(hasWordPrefixes('popescu ștefan 0722123456', 'pop ște')).toBe(true);
    expect(hasWordPrefixes('popescu ștefan', 'escu')).toBe(false);
    expect(hasWordPrefixes('rec/12.mp3 x-ray', 'ray')).toBe(true);
    expect(hasWordPrefixes('rec/12.mp3 x-ray', 'mp3')).toBe(true);
    expect(hasWordPrefixes('علی کریمی', 'کری')).toBe(true);
  });
});
