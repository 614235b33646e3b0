// Schema version 15: a page sorted by account (issue 20). That order is each account's calls by name, then by id;
// no index held it, so every such page sorted all the filter's calls, a million for one large account. This index
// lists each account's calls in id order, with the columns a filter without text, phone, campaign or cost tests
// (as the sort indexes of covering-sort-indexes do): a page reads account by account, testing each entry.
import type { Migration } from '../migrate.ts';
import { FILTER_COLUMNS } from './013_covering_sort_indexes.ts';

export const ACCOUNT_ORDER_INDEX = 'cdrs_account_id';

export const migration015: Migration = {
  version: 15,
  name: 'account-order-index',
  up: (db) => {
    const columns = ['account_id', 'id', ...FILTER_COLUMNS.filter((c) => c !== 'account_id')];
    db.exec(`CREATE INDEX ${ACCOUNT_ORDER_INDEX} ON cdrs(${columns.join(', ')})`);
    // Where someone keeps planner statistics (ANALYZE), keep them complete.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) db.exec(`ANALYZE ${ACCOUNT_ORDER_INDEX}`);
  },
};
