// Schema version 16: counting a text or phone search's matches that pass the filter's other conditions (issue 20).
// Each match was found by id in the table, a read of its whole row (raw record, search text) scattered over the
// largest B-tree of the file; a new `cdr-desk search` process paid for each page of it. This index holds the
// columns a filter without campaign or cost tests, in id order: each match is one seek in an index of six small
// numbers and short words per call, against the row's raw record and search text. New calls take the next ids, so
// writing it appends at its end.
import type { Migration } from '../migrate.ts';
import { FILTER_COLUMNS } from './013_covering_sort_indexes.ts';

export const FILTERS_BY_ID_INDEX = 'cdrs_id_filters';

export const migration016: Migration = {
  version: 16,
  name: 'filters-by-id-index',
  up: (db) => {
    db.exec(`CREATE INDEX ${FILTERS_BY_ID_INDEX} ON cdrs(id, ${FILTER_COLUMNS.join(', ')})`);
    // Where someone keeps planner statistics (ANALYZE), keep them complete.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get()) db.exec(`ANALYZE ${FILTERS_BY_ID_INDEX}`);
  },
};
