// Schema version 12: any filter combination (issue 20), sort orders. A page sorted by end time, billed seconds,
// caller, callee or direction sorted every matching call (reading each call's row, ~500 bytes of raw record, for
// its sort value): a fifth of the table took seconds. Each gets an index in its order, so the planner
// (search/search.ts) can walk it and stop after one page when the filter is wide. Direction holds two values, so
// its index is ordered (direction, id): a walk in id order within each. It is on an expression of the same order
// (search/sort.ts sorts by it), which a filter on direction never names: SQLite, without statistics, would
// otherwise take it for "direction = 'out'" and read the row of two calls in three. Every index costs each
// synced call a B-tree insert; callId (per account in the UNIQUE index) and account (few values) get none.
import type { Migration } from '../migrate.ts';

export const SORT_INDEXES = ['cdrs_ended', 'cdrs_bill', 'cdrs_source', 'cdrs_destination', 'cdrs_direction'] as const;

export const migration012: Migration = {
  version: 12,
  name: 'sort-indexes',
  up: (db) => {
    db.exec(`
      CREATE INDEX cdrs_ended ON cdrs(ended_at);
      CREATE INDEX cdrs_bill ON cdrs(bill_sec);
      CREATE INDEX cdrs_source ON cdrs(source);
      CREATE INDEX cdrs_destination ON cdrs(destination);
      CREATE INDEX cdrs_direction ON cdrs((direction || ''));
    `);
    // Where someone keeps planner statistics (ANALYZE), keep them complete: SQLite weighs indexes by them.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) db.exec(SORT_INDEXES.map((i) => `ANALYZE ${i};`).join(' '));
  },
};
