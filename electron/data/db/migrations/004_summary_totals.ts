// Schema version 4: running totals for summaries (electron/data/summary/totals.ts). cdrs_totals and
// cdrs_day_totals hold, per account, campaign, status, direction and local hour of the week or local day, the
// calls and the sums the KPIs need. New
// calls are counted by CdrWriter (as it indexes them for search); the triggers follow every change and delete of
// a call, whoever makes it. Existing calls are counted once here.
import { rebuildAllTotals, TOTALS_TABLES, totalsKey, type TotalsTable } from '../../summary/totals.ts';
import type { Migration } from '../migrate.ts';

const DDL = `
  -- Each account's zone offsets over the years its calls span, for the triggers' local hour of the week.
  CREATE TABLE account_zone_spans (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    from_ms     INTEGER NOT NULL,
    until_ms    INTEGER NOT NULL,
    offset_ms   INTEGER NOT NULL,
    PRIMARY KEY (account_id, from_ms)
  ) STRICT, WITHOUT ROWID;

  -- The time-zone data (ICU's tz version) the spans were computed with: new data can move offsets (a country
  -- drops daylight saving), and then spans and hours are computed again (summary/totals.ts, zoneDataChecked).
  CREATE TABLE zone_data (version TEXT NOT NULL) STRICT;

  -- how: local hour of the week (Monday 00:00 = 0); -1 no start; -2 offset unknown.
  -- day: local days since 1970-01-01; -1000000 no start; -2000000 offset unknown.
  ${TOTALS_TABLES.map((t) => `
  CREATE TABLE ${t.table} (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    campaign    TEXT,
    status      TEXT NOT NULL,
    direction   TEXT,
    ${t.bucket}         INTEGER NOT NULL,
    n           INTEGER NOT NULL,  -- calls
    bill        INTEGER NOT NULL,  -- sum of bill_sec
    wait        INTEGER NOT NULL,  -- sum of wait_sec
    wait_n      INTEGER NOT NULL   -- calls with a wait_sec
  ) STRICT;
  CREATE UNIQUE INDEX ${t.table}_key ON ${t.table}(${totalsKey(t)});`).join('\n')}
`;

/** Adds the call in row `r` (new or old) to table `t` with sign +1 or -1. Subtracting only updates (never inserts a row). */
function add(t: TotalsTable, r: 'new' | 'old', sign: 1 | -1): string {
  const bucket = t.bucketSql(`${r}.account_id`, `${r}.started_at`);
  if (sign < 0) {
    return `UPDATE ${t.table} SET n = n - 1, bill = bill - coalesce(${r}.bill_sec, 0), wait = wait - coalesce(${r}.wait_sec, 0),
              wait_n = wait_n - (${r}.wait_sec IS NOT NULL)
            WHERE account_id = ${r}.account_id AND ifnull(campaign, x'00') = ifnull(${r}.campaign, x'00') AND status = ${r}.status
              AND ifnull(direction, '') = ifnull(${r}.direction, '') AND ${t.bucket} = ${bucket};`;
  }
  return `INSERT INTO ${t.table} (account_id, campaign, status, direction, ${t.bucket}, n, bill, wait, wait_n)
          VALUES (${r}.account_id, ${r}.campaign, ${r}.status, ${r}.direction, ${bucket}, 1, coalesce(${r}.bill_sec, 0),
                  coalesce(${r}.wait_sec, 0), ${r}.wait_sec IS NOT NULL)
          ON CONFLICT (${totalsKey(t)}) DO UPDATE SET n = n + 1, bill = bill + excluded.bill, wait = wait + excluded.wait,
            wait_n = wait_n + excluded.wait_n;`;
}

/** The call in row `r` added to (or taken from) every totals table. */
const addAll = (r: 'new' | 'old', sign: 1 | -1) => TOTALS_TABLES.map((t) => add(t, r, sign)).join('\n');

const COUNTED = ['account_id', 'campaign', 'status', 'direction', 'started_at', 'bill_sec', 'wait_sec'];

const TRIGGERS = `
  CREATE TRIGGER cdrs_totals_ad AFTER DELETE ON cdrs BEGIN ${addAll('old', -1)} END;
  CREATE TRIGGER cdrs_totals_au AFTER UPDATE OF ${COUNTED.join(', ')} ON cdrs
    WHEN ${COUNTED.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
  BEGIN ${addAll('old', -1)} ${addAll('new', 1)} END;
`;

export const migration004: Migration = {
  version: 4,
  name: 'summary-totals',
  up: (db) => {
    db.exec(DDL);
    rebuildAllTotals(db);
    db.exec(TRIGGERS);
  },
};
