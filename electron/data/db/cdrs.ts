// Writing and reading the one CDR table. Upserts are idempotent on (account, call id): a row is rewritten only
// when something in it changed, so a repeated sync reports zero updates.
import type { Database, Statement } from 'better-sqlite3';
import type { Cdr, CallStatus, Direction, NormalizedCdr } from '../../shared/cdr.ts';
import { searchColumns } from '../query/index-text.ts';
import { toIsoUtc } from '../time/zone.ts';

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** The columns of `cdrs` as stored (instants in epoch ms). */
export interface CdrDbRow {
  id: number;
  account_id: number;
  call_id: string;
  campaign_id: string | null;
  campaign: string | null;
  direction: Direction | null;
  source: string | null;
  destination: string | null;
  status: CallStatus;
  provider_status: string | null;
  started_at: number | null;
  answered_at: number | null;
  ended_at: number | null;
  duration_sec: number | null;
  bill_sec: number | null;
  wait_sec: number | null;
  keypress: string | null;
  agent: string | null;
  recording: string | null;
  extra_text: string | null;
  raw: string;
}

const CONTENT_COLUMNS = [
  'campaign_id', 'campaign', 'direction', 'source', 'destination', 'status', 'provider_status', 'started_at',
  'answered_at', 'ended_at', 'duration_sec', 'bill_sec', 'wait_sec', 'keypress', 'agent', 'recording', 'extra_text',
  'raw', 'search_text', 'phone_digits',
] as const;

export class CdrWriter {
  private readonly exists: Statement;
  private readonly upsert: Statement;

  constructor(db: Database) {
    this.exists = db.prepare('SELECT 1 FROM cdrs WHERE account_id = ? AND call_id = ?').pluck();
    const cols = CONTENT_COLUMNS.join(', ');
    const params = CONTENT_COLUMNS.map((c) => `@${c}`).join(', ');
    this.upsert = db.prepare(
      `INSERT INTO cdrs (account_id, call_id, ${cols}, first_seen_at, updated_at)
       VALUES (@account_id, @call_id, ${params}, @now, @now)
       ON CONFLICT (account_id, call_id) DO UPDATE SET
         ${CONTENT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
       WHERE ${CONTENT_COLUMNS.map((c) => `cdrs.${c} IS NOT excluded.${c}`).join(' OR ')}`,
    );
  }

  /** Upserts rows for one account. Call inside the caller's transaction so rows and cursor commit together. */
  write(accountId: number, rows: readonly NormalizedCdr[], now = Date.now()): UpsertCounts {
    const counts: UpsertCounts = { inserted: 0, updated: 0 };
    for (const r of rows) {
      const existed = this.exists.get(accountId, r.callId) !== undefined;
      const info = this.upsert.run({
        account_id: accountId,
        call_id: r.callId,
        campaign_id: r.campaignId,
        campaign: r.campaign,
        direction: r.direction,
        source: r.source,
        destination: r.destination,
        status: r.status,
        provider_status: r.providerStatus,
        started_at: r.startedAt,
        answered_at: r.answeredAt,
        ended_at: r.endedAt,
        duration_sec: r.durationSec,
        bill_sec: r.billSec,
        wait_sec: r.waitSec,
        keypress: r.keypress,
        agent: r.agent,
        recording: r.recording,
        extra_text: r.extraText,
        raw: JSON.stringify(r.raw),
        ...searchColumns(r), // folded text and phone digits for the search indexes (migration 002)
        now,
      });
      if (info.changes > 0) {
        if (existed) counts.updated++;
        else counts.inserted++;
      }
    }
    return counts;
  }
}

/** A stored row as the CLI/IPC `Cdr` JSON. */
export function rowToCdr(row: CdrDbRow, account: { name: string; provider: string }): Cdr {
  return {
    account: account.name,
    provider: account.provider,
    callId: row.call_id,
    campaign: row.campaign,
    direction: row.direction,
    source: row.source,
    destination: row.destination,
    status: row.status,
    providerStatus: row.provider_status,
    startedAt: toIsoUtc(row.started_at),
    answeredAt: toIsoUtc(row.answered_at),
    endedAt: toIsoUtc(row.ended_at),
    durationSec: row.duration_sec,
    billSec: row.bill_sec,
    keypress: row.keypress,
    agent: row.agent,
    recording: row.recording,
    raw: JSON.parse(row.raw) as unknown,
  };
}
