// The sync engine's writes (sync.ts): cursors, runs, remembered ids, and the commit of fetched pages with their
// cursor in one transaction. Plain data in and out, so the same commit runs on the engine's connection or on the
// writer thread's (sync/writer.ts).
import type { Database, Statement } from 'better-sqlite3';
import { CdrWriter, CONTENT_COLUMNS, prepareCdr, type PreparedCdr, type UpsertCounts } from '../db/cdrs.ts';
import type { LeadInfo, SyncPage, SyncWindow } from '../providers/types.ts';
import type { AccountSyncResult } from './engine.ts';

/**
 * A lead as it is committed: its raw row already JSON text, or (rawOfRow) the index in its page's `rows` of the call
 * made from that same record, whose raw text it then is: a tel4vn lead row is its call's raw record, stringified
 * and sent to the writer thread once, not twice, by the thread that reads the provider's answers.
 */
export interface CommitLead extends Omit<LeadInfo, 'raw'> {
  rawJson?: string;
  rawOfRow?: number;
}

const RAW = CONTENT_COLUMNS.indexOf('raw');

/**
 * A fetched page as it is committed: its calls as column values (prepareCdr), its leads' rows as JSON text, the
 * rest as the adapter gave it. Text crosses to the writer thread as one copy; a row object is cloned field by field
 * on both sides.
 */
export interface CommitPage extends Omit<SyncPage, 'cdrs' | 'leads'> {
  rows: PreparedCdr[];
  leads?: CommitLead[];
}

export function commitPageOf(page: SyncPage): CommitPage {
  const { cdrs, leads, ...rest } = page;
  const out: CommitPage = { ...rest, rows: cdrs.map(prepareCdr) };
  if (leads) {
    // The same object as a call's raw record is the same JSON text (prepareCdr made it): referred to, not repeated.
    const rowOf = new Map<unknown, number>();
    cdrs.forEach((c, i) => {
      if (c.raw !== null && typeof c.raw === 'object' && !rowOf.has(c.raw)) rowOf.set(c.raw, i);
    });
    out.leads = leads.map(({ raw, ...lead }) => {
      const i = rowOf.get(raw);
      return i === undefined ? { ...lead, rawJson: JSON.stringify(raw ?? null) } : { ...lead, rawOfRow: i };
    });
  }
  return out;
}

/** A committed lead's raw JSON text (its own, or its call's: see CommitLead). */
export function leadRawJson(page: CommitPage, lead: CommitLead): string {
  if (lead.rawJson !== undefined) return lead.rawJson;
  const raw = page.rows[lead.rawOfRow!]?.content[RAW];
  if (typeof raw !== 'string') throw new Error(`lead ${lead.leadId}: its raw record refers to no call of its page`);
  return raw;
}

/** The run's counters before this commit. */
export interface RunCounts {
  fetched: number;
  inserted: number;
  updated: number;
  notFound: number;
}

/** One transaction of the sync engine: whole pages of one account, the last one's cursor, the run's counters. */
export interface CommitRequest {
  accountId: number;
  stream: string;
  runId: number;
  pages: CommitPage[];
  before: RunCounts;
  window: SyncWindow;
  runAt: number;
  byId: boolean;
}

/** The sync engine's statements on one connection (the engine's own, or the writer thread's). */
export class AccountStore {
  readonly writer: CdrWriter;
  private readonly st: Record<string, Statement>;
  private readonly db: Database;

  /** `deferIndex`: new calls go to the search tail (search/tail.ts), as the writer thread of a large sync does. */
  constructor(db: Database, opts: { deferIndex?: boolean } = {}) {
    this.db = db;
    this.writer = new CdrWriter(db, opts);
    this.st = {
      cursorGet: db.prepare('SELECT cursor FROM sync_state WHERE account_id = ? AND stream = ?').pluck(),
      cursorSet: db.prepare(
        `INSERT INTO sync_state (account_id, stream, cursor, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      ),
      runStart: db.prepare('INSERT INTO sync_runs (account_id, started_at, window_from, window_to) VALUES (?, ?, ?, ?)'),
      runCounts: db.prepare('UPDATE sync_runs SET fetched = ?, inserted = ?, updated = ?, not_found = ? WHERE id = ?'),
      runEnd: db.prepare(
        `UPDATE sync_runs SET finished_at = ?, fetched = ?, inserted = ?, updated = ?, not_found = ?, error = ?,
           verdict = ?, verdict_text = ?, covered_from = ?, covered_to = ? WHERE id = ?`,
      ),
      previousRegular: db.prepare(
        'SELECT max(started_at) FROM sync_runs WHERE account_id = ? AND id < ? AND window_from IS NULL AND window_to IS NULL',
      ).pluck(),
      campaign: db.prepare(
        `INSERT INTO campaigns (account_id, campaign_id, name, raw, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, campaign_id) DO UPDATE SET name = excluded.name, raw = excluded.raw, updated_at = excluded.updated_at
         WHERE campaigns.name IS NOT excluded.name OR campaigns.raw IS NOT excluded.raw`,
      ),
      report: db.prepare(
        'INSERT INTO campaign_reports (account_id, campaign_id, campaign, synced_at, window_from, window_to, stats) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      lead: db.prepare(
        `INSERT INTO leads (account_id, lead_id, campaign_id, call_id, raw, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, lead_id) DO UPDATE SET campaign_id = excluded.campaign_id, call_id = excluded.call_id,
           raw = excluded.raw, updated_at = excluded.updated_at
         WHERE leads.raw IS NOT excluded.raw OR leads.call_id IS NOT excluded.call_id OR leads.campaign_id IS NOT excluded.campaign_id`,
      ),
      // Every id in one statement: a run per id, each a crossing into SQLite, held a large by-id sync's first request back.
      idAdd: db.prepare(`INSERT INTO known_ids (account_id, call_id, state, added_at) SELECT ?, value, 'pending', ? FROM json_each(?) WHERE true
         ON CONFLICT (account_id, call_id) DO UPDATE SET state = 'pending' WHERE known_ids.state = 'not_found'`),
      idPending: db.prepare(`SELECT call_id FROM known_ids WHERE account_id = ? AND state = 'pending' ORDER BY added_at, call_id`).pluck(),
      idState: db.prepare('UPDATE known_ids SET state = ?, checked_at = ? WHERE account_id = ? AND call_id = ?'),
      idChecked: db.prepare('UPDATE known_ids SET checked_at = ? WHERE account_id = ? AND call_id = ?'),
    };
  }

  cursor(accountId: number, stream: string): unknown {
    const text = this.st.cursorGet!.get(accountId, stream) as string | undefined;
    return text === undefined ? null : (JSON.parse(text) as unknown);
  }

  startRun(accountId: number, at: number, w: SyncWindow): number {
    return Number(this.st.runStart!.run(accountId, at, w.from, w.to).lastInsertRowid);
  }

  /** `covered`: the time range the run covered (coverage ledger), null for a by-id sync. */
  endRun(runId: number, at: number, r: AccountSyncResult, covered: { from: number | null; to: number } | null): void {
    this.st.runEnd!.run(at, r.fetched, r.inserted, r.updated, r.notFound, r.error, r.verdict.status, r.verdict.text,
      covered?.from ?? null, covered?.to ?? null, runId);
  }

  /** When the regular sync (no window) before run `runId` started: where a sync from its cursor takes over. */
  previousRegularStart(accountId: number, runId: number): number | null {
    return (this.st.previousRegular!.get(accountId, runId) as number | null) ?? null;
  }

  /** Remembers ids (new ones pending; an id once unknown and supplied again is asked again) and lists the pending. */
  rememberIds(accountId: number, ids: readonly string[], now: number): string[] {
    this.st.idAdd!.run(accountId, now, JSON.stringify(ids));
    return this.st.idPending!.all(accountId) as string[];
  }

  /** Pages in order, one transaction; the cursor saved is the last page's. Returns each page's upsert counts. */
  commit(req: CommitRequest): UpsertCounts[] {
    const { accountId, pages, before, runId } = req;
    return this.db.transaction(() => {
      const now = Date.now();
      const counts = this.writer.writeInTransaction(accountId, pages.map((p) => p.rows), now);
      for (const page of pages) this.commitPage(req, page, now);
      const sum = (f: (c: UpsertCounts) => number) => counts.reduce((n, c) => n + f(c), 0);
      const fetched = before.fetched + pages.reduce((n, p) => n + p.rows.length, 0);
      const notFound = before.notFound + pages.reduce((n, p) => n + (p.notFound?.length ?? 0), 0);
      this.st.runCounts!.run(fetched, before.inserted + sum((c) => c.inserted), before.updated + sum((c) => c.updated), notFound, runId);
      return counts;
    })();
  }

  /** What a page holds besides its calls (written by writePages for all pages at once). */
  private commitPage({ accountId, stream, window: w, runAt, byId }: CommitRequest, page: CommitPage, now: number): void {
    if (page.cursor !== undefined) this.st.cursorSet!.run(accountId, stream, JSON.stringify(page.cursor), now);
    for (const c of page.campaigns ?? []) this.st.campaign!.run(accountId, c.campaignId, c.name, JSON.stringify(c.raw ?? null), now);
    for (const r of page.campaignReports ?? []) {
      this.st.report!.run(accountId, r.campaignId, r.campaign, runAt, w.from, w.to, JSON.stringify(r.stats));
    }
    for (const l of page.leads ?? []) this.st.lead!.run(accountId, l.leadId, l.campaignId, l.callId, leadRawJson(page, l), now);
    for (const id of page.final ?? []) this.st.idState!.run('final', now, accountId, id);
    for (const id of page.notFound ?? []) this.st.idState!.run('not_found', now, accountId, id);
    if (byId) for (const c of page.rows) this.st.idChecked!.run(now, accountId, c.callId);
  }
}
