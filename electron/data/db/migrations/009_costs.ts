// Schema version 9: what the calls cost (docs/costs.md). Each account may have billing settings (currency, what
// is billed, whether unanswered calls pay the connect fee) and a rate card whose history is kept; each call
// stores its cost (integer units of 1/10,000 of the currency, NULL where no rate applies), computed when it is
// written and again when its card changes (costs/store.ts). The summary totals carry the cost sums, so a summary
// with cost reads as few rows as before; the summary index carries cost too, for the summaries read from calls.
import type { Migration } from '../migrate.ts';
import { TOTALS_TABLES, TOTALS_TRIGGERS } from '../../summary/totals.ts';

const DDL = `
  CREATE TABLE account_billing (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    currency        TEXT NOT NULL,                        -- ISO 4217
    bill_by         TEXT NOT NULL DEFAULT 'billsec' CHECK (bill_by IN ('billsec', 'duration')),
    unanswered_fee  INTEGER NOT NULL DEFAULT 0 CHECK (unanswered_fee IN (0, 1))
  ) STRICT;

  -- One row per prefix and effective-from wall time (in the account's zone); amounts in units of 1/10,000.
  CREATE TABLE rates (
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    prefix          TEXT NOT NULL,     -- digits; '' = every destination
    effective_from  TEXT NOT NULL,     -- YYYY-MM-DD or YYYY-MM-DD HH:MM:SS
    per_minute      INTEGER NOT NULL CHECK (per_minute >= 0),
    first_sec       INTEGER NOT NULL CHECK (first_sec >= 1),
    next_sec        INTEGER NOT NULL CHECK (next_sec >= 1),
    connect_fee     INTEGER NOT NULL DEFAULT 0 CHECK (connect_fee >= 0),
    min_sec         INTEGER CHECK (min_sec >= 0),
    PRIMARY KEY (account_id, prefix, effective_from)
  ) STRICT, WITHOUT ROWID;

  -- Accounts whose calls are being priced again: the totals' trigger leaves their cost-only changes alone.
  CREATE TABLE cost_repricing (account_id INTEGER PRIMARY KEY) STRICT;

  ALTER TABLE cdrs ADD COLUMN cost INTEGER;
  ${TOTALS_TABLES.map((t) => `
  ALTER TABLE ${t.table} ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;    -- sum of the calls' cost (units)
  ALTER TABLE ${t.table} ADD COLUMN cost_n INTEGER NOT NULL DEFAULT 0;  -- calls with a cost`).join('')}

  DROP INDEX cdrs_summary;
  CREATE INDEX cdrs_summary ON cdrs(account_id, campaign, status, agent, started_at, bill_sec, wait_sec, duration_sec, direction, cost);

  DROP TRIGGER cdrs_totals_ad;
  DROP TRIGGER cdrs_totals_au;
`;

export const migration009: Migration = {
  version: 9,
  name: 'costs',
  up: (db) => {
    db.exec(DDL);
    db.exec(TOTALS_TRIGGERS);
    // Where someone keeps planner statistics (ANALYZE), keep them complete: the dropped index took its own along.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) db.exec('ANALYZE cdrs_summary');
    // No call has a cost yet (no account has a card): the totals' new columns are right at 0.
  },
};
