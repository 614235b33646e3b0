// Per-connection answers that hold only while the calls do not change, and what a connection may write.
import type { Database } from 'better-sqlite3';

/** Moves when another connection commits (data_version) or this connection writes (total_changes()). */
export function changeState(db: Database): string {
  return `${db.pragma('data_version', { simple: true })} ${db.prepare('SELECT total_changes()').pluck().get()}`;
}

/** A cache of one answer per key and connection, each computed again once the database has changed (changeState). */
export function keptUntilChange<T>(): (db: Database, key: string, compute: () => T) => T {
  const byConnection = new WeakMap<Database, Map<string, { state: string; value: T }>>();
  return (db, key, compute) => {
    const state = changeState(db);
    let known = byConnection.get(db);
    if (!known) byConnection.set(db, (known = new Map()));
    const kept = known.get(key);
    if (kept?.state === state) return kept.value;
    const value = compute();
    known.set(key, { state, value });
    return value;
  };
}

/**
 * Whether the connection may create and fill temp tables. Not under PRAGMA query_only (the data host's connection
 * outside a write turn), which refuses even the temp schema; a read-only file connection may.
 */
export function tempWritable(db: Database): boolean {
  return !db.pragma('query_only', { simple: true });
}
