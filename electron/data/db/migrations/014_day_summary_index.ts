// Schema version 14: a summary by day read from the calls (issue 20; any filter the running totals cannot serve,
// such as a duration or a zone other than the account's own). Grouping each call on its local day made SQLite sort
// every selected call in a temp B-tree, which cost more than reading them (the sort floor in docs/performance.md).
// This index holds one account's calls of one status in start order, with every column a summary sums or a filter
// without text or phone tests, so a summary reads each local day as one range of it, already grouped
// (summary/day-pieces.ts), and sorts nothing.
import type { Migration } from '../migrate.ts';

export const DAY_SUMMARY_INDEX = 'cdrs_account_status_started';

export const migration014: Migration = {
  version: 14,
  name: 'day-summary-index',
  up: (db) => {
    db.exec(`CREATE INDEX ${DAY_SUMMARY_INDEX} ON cdrs(account_id, status, started_at, bill_sec, wait_sec, duration_sec, direction, cost, campaign)`);
    // Where someone keeps planner statistics (ANALYZE), keep them complete.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) db.exec(`ANALYZE ${DAY_SUMMARY_INDEX}`);
  },
};
