// Schema version 11: the search tail (search/tail.ts). One optional row holds the watermark: calls above it are
// not yet in the FTS indexes. The update and delete triggers that keep those indexes in step now skip tail calls
// (an external-content FTS5 'delete' of an entry never written would corrupt the index); the tail's bulk indexing
// takes their current text.
import type { Migration } from '../migrate.ts';

const INDEXED = 'old.id <= coalesce((SELECT after_id FROM search_tail), old.id)';

export const migration011: Migration = {
  version: 11,
  name: 'search-tail',
  up: (db) => {
    db.exec(`
      CREATE TABLE search_tail (
        one       INTEGER PRIMARY KEY CHECK (one = 1),
        after_id  INTEGER NOT NULL
      ) STRICT;
      DROP TRIGGER cdrs_search_ad;
      DROP TRIGGER cdrs_search_au;
      CREATE TRIGGER cdrs_search_ad AFTER DELETE ON cdrs WHEN ${INDEXED} BEGIN
        INSERT INTO cdrs_fts(cdrs_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO cdrs_phone(cdrs_phone, rowid, phone_digits) VALUES ('delete', old.id, old.phone_digits);
      END;
      CREATE TRIGGER cdrs_search_au AFTER UPDATE OF search_text, phone_digits ON cdrs WHEN ${INDEXED} BEGIN
        INSERT INTO cdrs_fts(cdrs_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO cdrs_phone(cdrs_phone, rowid, phone_digits) VALUES ('delete', old.id, old.phone_digits);
        INSERT INTO cdrs_fts(rowid, search_text) VALUES (new.id, new.search_text);
        INSERT INTO cdrs_phone(rowid, phone_digits) VALUES (new.id, new.phone_digits);
      END;
    `);
  },
};
