// Schema version 6: the sync's own check and the coverage ledger. Each sync run records its verdict (complete,
// incomplete, unverified) with a short text, and the time range it covered, half-open [covered_from,
// covered_to) in epoch ms: covered_from NULL = from the provider's beginning, covered_to NULL = no time range
// (by-id providers read ids, not time; runs before this version). The account keeps its last verdict.
import type { Migration } from '../migrate.ts';

export const migration006: Migration = {
  version: 6,
  name: 'sync-verdict',
  up: `
    ALTER TABLE sync_runs ADD COLUMN verdict TEXT CHECK (verdict IN ('complete','incomplete','unverified'));
    ALTER TABLE sync_runs ADD COLUMN verdict_text TEXT;
    ALTER TABLE sync_runs ADD COLUMN covered_from INTEGER;
    ALTER TABLE sync_runs ADD COLUMN covered_to INTEGER;
    CREATE INDEX sync_runs_coverage ON sync_runs(account_id, covered_to) WHERE covered_to IS NOT NULL;
    ALTER TABLE accounts ADD COLUMN last_verdict TEXT CHECK (last_verdict IN ('complete','incomplete','unverified'));
    ALTER TABLE accounts ADD COLUMN last_verdict_text TEXT;
  `,
};
