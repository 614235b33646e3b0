// What a per-connection cache keys its answers on, so that none outlives a change to the calls.
import type { Database } from 'better-sqlite3';

/** Moves when another connection commits (data_version) or this connection writes (total_changes()). */
export function changeState(db: Database): string {
  return `${db.pragma('data_version', { simple: true })} ${db.prepare('SELECT total_changes()').pluck().get()}`;
}
