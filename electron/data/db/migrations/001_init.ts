// Schema version 1: accounts, the one CDR table, sync state, campaign data and the ids of by-id providers.
import type { Migration } from '../migrate.ts';

export const migration001: Migration = {
  version: 1,
  name: 'init',
  up: `
    CREATE TABLE accounts (
      id            INTEGER PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
      provider      TEXT NOT NULL,
      base_url      TEXT NOT NULL,
      timezone      TEXT NOT NULL,
      secret_keys   TEXT NOT NULL DEFAULT '[]',  -- names of the keys held by the SecretStore, never values
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL,
      last_sync_at  INTEGER,
      last_error    TEXT
    ) STRICT;

    -- One row per call. Instants are epoch milliseconds UTC; raw is the provider's record as received (JSON).
    CREATE TABLE cdrs (
      id              INTEGER PRIMARY KEY,
      account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      call_id         TEXT NOT NULL,
      campaign_id     TEXT,
      campaign        TEXT,
      direction       TEXT CHECK (direction IN ('in','out')),
      source          TEXT,
      destination     TEXT,
      status          TEXT NOT NULL CHECK (status IN
                        ('answered','no_answer','busy','congestion','failed','invalid_number','cancelled','unknown')),
      provider_status TEXT,
      started_at      INTEGER,
      answered_at     INTEGER,
      ended_at        INTEGER,
      duration_sec    INTEGER,
      bill_sec        INTEGER,
      wait_sec        INTEGER,
      keypress        TEXT,
      agent           TEXT,
      recording       TEXT,
      extra_text      TEXT,
      raw             TEXT NOT NULL,
      first_seen_at   INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      UNIQUE (account_id, call_id)
    ) STRICT;

    -- Resumable cursors: one JSON value per account and stream (a provider may have several streams).
    CREATE TABLE sync_state (
      account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      stream      TEXT NOT NULL,
      cursor      TEXT NOT NULL,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (account_id, stream)
    ) STRICT;

    CREATE TABLE sync_runs (
      id           INTEGER PRIMARY KEY,
      account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      started_at   INTEGER NOT NULL,
      finished_at  INTEGER,
      window_from  INTEGER,
      window_to    INTEGER,
      fetched      INTEGER NOT NULL DEFAULT 0,
      inserted     INTEGER NOT NULL DEFAULT 0,
      updated      INTEGER NOT NULL DEFAULT 0,
      not_found    INTEGER NOT NULL DEFAULT 0,
      error        TEXT
    ) STRICT;

    -- Campaigns as the provider names them.
    CREATE TABLE campaigns (
      account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      campaign_id  TEXT NOT NULL,
      name         TEXT,
      raw          TEXT,
      updated_at   INTEGER NOT NULL,
      PRIMARY KEY (account_id, campaign_id)
    ) STRICT;

    -- The provider's own per-campaign figures, as reported at each sync (for reconciliation).
    CREATE TABLE campaign_reports (
      id           INTEGER PRIMARY KEY,
      account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      campaign_id  TEXT NOT NULL,
      campaign     TEXT,
      synced_at    INTEGER NOT NULL,
      window_from  INTEGER,
      window_to    INTEGER,
      stats        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX campaign_reports_latest ON campaign_reports(account_id, campaign_id, synced_at);

    -- Provider records that are not calls themselves (tel4vn-v3 leads never dialled), kept for reference.
    CREATE TABLE leads (
      account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      lead_id      TEXT NOT NULL,
      campaign_id  TEXT,
      call_id      TEXT,
      raw          TEXT NOT NULL,
      updated_at   INTEGER NOT NULL,
      PRIMARY KEY (account_id, lead_id)
    ) STRICT;

    -- Call ids supplied by the user for providers that read calls only by id.
    CREATE TABLE known_ids (
      account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      call_id      TEXT NOT NULL,
      state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','final','not_found')),
      added_at     INTEGER NOT NULL,
      checked_at   INTEGER,
      PRIMARY KEY (account_id, call_id)
    ) STRICT;
  `,
};
