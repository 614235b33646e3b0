// Schema version 8: any filter combination (issue 20). The status and account indexes also hold the other cheap
// filters (time, status or account, direction, duration), so a combination of them is counted and tested on the
// index entry alone, without reading each call's row (a row holds the raw record: a status + duration total
// read one row per answered call); and two sort orders users pick get their own index: agent and answered time
// (they sorted the whole table). Replaced rather than added beside where possible: every index costs each synced
// call a B-tree insert.
import type { Migration } from '../migrate.ts';

export const migration008: Migration = {
  version: 8,
  name: 'filter-indexes',
  up: (db) => {
    db.exec(`
      DROP INDEX cdrs_status_started;
      CREATE INDEX cdrs_status_started ON cdrs(status, started_at, direction, duration_sec, account_id);
      DROP INDEX cdrs_account_started;
      CREATE INDEX cdrs_account_started ON cdrs(account_id, started_at, status, direction, duration_sec);
      CREATE INDEX cdrs_agent ON cdrs(agent);
      CREATE INDEX cdrs_answered ON cdrs(answered_at);
    `);
    // Where someone keeps planner statistics (ANALYZE), keep them complete: the replaced indexes took theirs along.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) {
      db.exec('ANALYZE cdrs_status_started; ANALYZE cdrs_account_started; ANALYZE cdrs_agent; ANALYZE cdrs_answered;');
    }
  },
};
