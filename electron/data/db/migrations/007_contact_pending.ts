// Schema version 7: who was called, and calls not final yet.
// - cdrs.contact: the person called, where the provider names one. Filled here for calls cached before, from each
//   provider's documented field in the stored record (TEL4VN v3 `lead_name`, TEL4VN v2 `customer_name` inside the
//   JSON text of `param`), exactly as the adapters map it, so the next sync rewrites nothing. Their search text
//   already holds these names (the adapters put them in extra_text), so the search indexes stay as they are.
// - status 'pending' (the provider says the call is still dialling, ringing or in progress): cdrs' CHECK
//   constraint widened in place. SQLite cannot alter a constraint; its documented procedure for loosening one
//   (https://www.sqlite.org/lang_altertable.html#otheralter) rewrites the table's SQL in sqlite_schema, which needs
//   no copy of a million-row table, its FTS content ids or its triggers. Every stored row already satisfies the
//   wider check.
import type { Database } from 'better-sqlite3';
import type { Migration } from '../migrate.ts';

const OLD_CHECK = "('answered','no_answer','busy','congestion','failed','invalid_number','cancelled','unknown')";
const NEW_CHECK = "('answered','no_answer','busy','congestion','failed','invalid_number','cancelled','pending','unknown')";

/** Whitespace as the adapters' String.trim() sees it in names (space, tab, line breaks, no-break space). */
const SPACE = "' ' || char(9) || char(10) || char(13) || char(160)";
const trimmed = (expr: string) => `nullif(trim(${expr}, ${SPACE}), '')`;

const BACKFILL = `
  UPDATE cdrs SET contact = ${trimmed("json_extract(raw, '$.lead_name')")}
  WHERE account_id IN (SELECT id FROM accounts WHERE provider = 'tel4vn-v3') AND json_type(raw, '$.lead_name') = 'text';

  UPDATE cdrs SET contact = ${trimmed("json_extract(json_extract(raw, '$.param'), '$.customer_name')")}
  WHERE account_id IN (SELECT id FROM accounts WHERE provider = 'voiceotp-v2')
    AND json_type(raw, '$.param') = 'text' AND json_valid(json_extract(raw, '$.param'))
    AND json_type(json_extract(raw, '$.param'), '$.customer_name') = 'text';
`;

function widenStatusCheck(db: Database): void {
  const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'cdrs'").pluck().get() as string;
  const at = sql.replace(/\s+/g, ' ').indexOf(OLD_CHECK.replace(/\s+/g, ' '));
  if (at < 0) throw new Error('migration 7: the status check of table cdrs is not the one earlier versions created');
  const widened = sql.replace(/\(\s*'answered',\s*'no_answer',\s*'busy',\s*'congestion',\s*'failed',\s*'invalid_number',\s*'cancelled',\s*'unknown'\s*\)/, NEW_CHECK);
  const version = db.pragma('schema_version', { simple: true }) as number;
  // writable_schema is refused in SQLite's defensive mode, which better-sqlite3 turns on; off only for this edit.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'cdrs'").run(widened);
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
}

export const migration007: Migration = {
  version: 7,
  name: 'contact-pending',
  up: (db) => {
    db.exec('ALTER TABLE cdrs ADD COLUMN contact TEXT');
    db.exec(BACKFILL);
    widenStatusCheck(db);
  },
};
