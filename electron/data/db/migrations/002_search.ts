// Schema version 2: offline search. Two derived columns on cdrs (folded text and phone digits, computed in JS by
// CdrWriter so indexing and querying fold text the same way), FTS5 indexes kept in step by CdrWriter (new rows)
// and triggers (updates, deletes), indexes for the common filters and sorts, and saved searches.
import type { Database } from 'better-sqlite3';
import { searchColumns } from '../../search/index-text.ts';
import type { Migration } from '../migrate.ts';

const DDL = `
  ALTER TABLE cdrs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
  ALTER TABLE cdrs ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';

  -- External-content FTS tables: they hold only the index; the text lives in cdrs.
  CREATE VIRTUAL TABLE cdrs_fts USING fts5(search_text, content='cdrs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0', prefix='2 3');
  -- Trigrams give substring matching for phone fragments of 3+ digits.
  CREATE VIRTUAL TABLE cdrs_phone USING fts5(phone_digits, content='cdrs', content_rowid='id', tokenize='trigram');

  -- Time window and default sort (newest first), across accounts and within one.
  CREATE INDEX cdrs_started ON cdrs(started_at);
  CREATE INDEX cdrs_account_started ON cdrs(account_id, started_at);
  CREATE INDEX cdrs_status_started ON cdrs(status, started_at);
  CREATE INDEX cdrs_campaign_started ON cdrs(campaign, started_at);
  CREATE INDEX cdrs_duration ON cdrs(duration_sec);

  -- Covering indexes for summaries (electron/data/summary/summary.ts): read in this order, SQLite groups calls as it
  -- scans instead of sorting a million rows. The matrix one holds the UTC quarter-hour of the week (1970-01-01
  -- was a Thursday); local weekday/hour follow from it by each zone's offset, a multiple of 15 minutes.
  CREATE INDEX cdrs_summary ON cdrs(account_id, campaign, status, agent, started_at, bill_sec, wait_sec, duration_sec, direction);
  CREATE INDEX cdrs_week ON cdrs(account_id, campaign, (started_at / 900000) % 672, started_at, status, agent, duration_sec, direction);

  CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    filter      TEXT NOT NULL,   -- SearchFilter JSON
    sort        TEXT,            -- SortSpec JSON or NULL for the default
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  ) STRICT;
`;

// Created after the back-fill: an external-content FTS5 'delete' must be given exactly what was indexed, and
// rows cached before this version were never indexed. New rows are indexed by CdrWriter, once per page in the
// page's own transaction (cheaper than a trigger per row); updates and deletes go through these triggers.
const TRIGGERS = `
  CREATE TRIGGER cdrs_search_ad AFTER DELETE ON cdrs BEGIN
    INSERT INTO cdrs_fts(cdrs_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cdrs_phone(cdrs_phone, rowid, phone_digits) VALUES ('delete', old.id, old.phone_digits);
  END;
  CREATE TRIGGER cdrs_search_au AFTER UPDATE OF search_text, phone_digits ON cdrs BEGIN
    INSERT INTO cdrs_fts(cdrs_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cdrs_phone(cdrs_phone, rowid, phone_digits) VALUES ('delete', old.id, old.phone_digits);
    INSERT INTO cdrs_fts(rowid, search_text) VALUES (new.id, new.search_text);
    INSERT INTO cdrs_phone(rowid, phone_digits) VALUES (new.id, new.phone_digits);
  END;

`;

/** Fills the derived columns of rows cached before this version. */
function backfill(db: Database): void {
  const read = db.prepare(
    `SELECT id, call_id, campaign_id, campaign, source, destination, provider_status, agent, extra_text FROM cdrs
     WHERE id > ? ORDER BY id LIMIT 5000`,
  );
  const write = db.prepare('UPDATE cdrs SET search_text = ?, phone_digits = ? WHERE id = ?');
  type Row = { id: number; call_id: string; campaign_id: string | null; campaign: string | null; source: string | null;
    destination: string | null; provider_status: string | null; agent: string | null; extra_text: string | null };
  // In batches: better-sqlite3 cannot write while a read on the same connection is still iterating.
  for (let after = 0, rows: Row[]; (rows = read.all(after) as Row[]).length; after = rows[rows.length - 1]!.id) {
    for (const r of rows) {
      const c = searchColumns({
        callId: r.call_id, campaignId: r.campaign_id, campaign: r.campaign, source: r.source, destination: r.destination,
        providerStatus: r.provider_status, agent: r.agent, extraText: r.extra_text,
      });
      write.run(c.search_text, c.phone_digits, r.id);
    }
  }
}

export const migration002: Migration = {
  version: 2,
  name: 'search',
  up: (db) => {
    db.exec(DDL);
    backfill(db);
    db.exec(`INSERT INTO cdrs_fts(cdrs_fts) VALUES ('rebuild'); INSERT INTO cdrs_phone(cdrs_phone) VALUES ('rebuild');`);
    db.exec(TRIGGERS);
  },
};
