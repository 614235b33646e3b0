// The one write path of a data host: every write it makes to the cache (a sync's commits and run bookkeeping,
// account edits, saved searches, rates and billing, the demo's accounts) takes its turn here, one at a time, in
// the order asked. Writes on the host's own connection run in their turn; a large sync's commits run on the
// writer thread's connection (sync/writer.ts) while holding the turn, so an account edit asked meanwhile waits
// here for that commit to end instead of in SQLite's busy handler, which would block the host's message thread.
//
// Guarded (the data host), the host's connection is read-only (PRAGMA query_only) outside a turn: a write that
// bypasses this path fails at once with SQLite's "attempt to write a readonly database" rather than racing the
// writer thread. The CLI makes an unguarded one: it is its own process, a second writer by nature.
import type { Database } from 'better-sqlite3';

export class WritePath {
  private readonly db: Database;
  private readonly guarded: boolean;
  /** Settles when the last turn asked for has ended. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(db: Database, options: { guard?: boolean } = {}) {
    this.db = db;
    this.guarded = options.guard ?? false;
    if (this.guarded) this.readOnly(true);
  }

  /**
   * Runs `fn` on the host's connection in its turn (writes allowed there for its whole run, awaits included).
   * `fn` must not ask for a turn itself: it would wait for its own end.
   */
  write<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.turn(async () => {
      if (this.guarded) this.readOnly(false);
      try {
        return await fn();
      } finally {
        if (this.guarded && !this.closed) this.readOnly(true);
      }
    });
  }

  /** Holds the turn while `fn` writes through another connection (the writer thread); the host's stays read-only. */
  hold<T>(fn: () => Promise<T>): Promise<T> {
    return this.turn(fn);
  }

  /** Lifts the guard for good: the host is closing, and whoever owns the connection next writes as they like. */
  close(): void {
    this.closed = true;
    if (this.guarded && this.db.open) this.readOnly(false);
  }

  private turn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined); // one turn's failure is its caller's, never the next turn's
    return run;
  }

  private readOnly(on: boolean): void {
    this.db.pragma(`query_only = ${on ? 'ON' : 'OFF'}`);
  }
}
