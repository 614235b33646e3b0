// Schema version 13: any filter combination (issue 20), sorted pages. A page sorted by answered or end time,
// duration, billed seconds, caller, callee, agent or direction walks that order's index and tests the filter on
// each call: with the index holding the sort value alone, each step read the call's row (scattered, ~500 bytes of
// raw record) to test an account, status, direction, time or duration, and a filter bunched far along the order
// (inbound calls by callee, past the outbound ones; one month by billed seconds) read hundreds of thousands of rows.
// Each of these indexes now also holds those columns, so SQLite walks it and tests them on the entry, reading no
// row at all (search/search.ts walks such an order without a bound). The id follows the sort value, so calls
// sharing one stay in id order, as a page's order (sort value, then id) needs. The same B-tree inserts per synced
// call as before, each entry a few bytes longer.
import type { Migration } from '../migrate.ts';

/** Each sort order's index and its leading expression (search/sort.ts walks them). */
export const COVERING_SORT_INDEXES = {
  cdrs_answered: 'answered_at',
  cdrs_ended: 'ended_at',
  cdrs_duration: 'duration_sec',
  cdrs_bill: 'bill_sec',
  cdrs_source: 'source',
  cdrs_destination: 'destination',
  cdrs_agent: 'agent',
  cdrs_direction: "(direction || '')",
} as const;

/** What a filter tests without text, phone, campaign or cost (search/filter.ts), after the sort value and id. */
export const FILTER_COLUMNS = ['account_id', 'status', 'direction', 'started_at', 'duration_sec'] as const;

export const migration013: Migration = {
  version: 13,
  name: 'covering-sort-indexes',
  up: (db) => {
    for (const [index, lead] of Object.entries(COVERING_SORT_INDEXES)) {
      const columns = [lead, 'id', ...FILTER_COLUMNS.filter((c) => c !== lead)];
      db.exec(`DROP INDEX ${index}; CREATE INDEX ${index} ON cdrs(${columns.join(', ')});`);
    }
    // Where someone keeps planner statistics (ANALYZE), keep them complete: the replaced indexes took theirs along.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) {
      db.exec(Object.keys(COVERING_SORT_INDEXES).map((i) => `ANALYZE ${i};`).join(' '));
    }
  },
};
