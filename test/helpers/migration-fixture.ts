// A cache at the schema before one migration, holding calls written with plain SQL (as that schema's app wrote
// them), for the tests that check a migration changes no search answer.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, type Migration } from '../../electron/data/db/migrate.ts';
import { MIGRATIONS } from '../../electron/data/db/migrations/index.ts';
import { tempDir } from './tmp.ts';

/** The migrations before `migration` applied to a new file, with accounts A (UTC) and B (Asia/Tehran). */
export function cacheBefore(migration: Migration): { db: BetterSqlite3.Database; file: string; before: number } {
  const before = MIGRATIONS.indexOf(migration);
  const file = join(tempDir(), 'cdr-desk.sqlite');
  const db = new BetterSqlite3(file);
  migrate(db, file, MIGRATIONS.slice(0, before));
  db.prepare("INSERT INTO accounts (id, name, provider, base_url, timezone, created_at, updated_at) VALUES (1, 'A', 'pbx-cdr', 'http://x', 'UTC', 0, 0), (2, 'B', 'pbx-cdr', 'http://x', 'Asia/Tehran', 0, 0)").run();
  return { db, file, before };
}

/** A fixed pseudo-random sequence: rand(n) is a whole number below n. */
export function seededRand(seed: number): (n: number) => number {
  let s = seed;
  return (n) => Math.floor(((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
}

export const FIXTURE_T0 = Date.UTC(2024, 0, 1);

/**
 * 4,000 calls over 90 days of two accounts, with NULLs and ties in every sort column (start and end time,
 * duration, billed seconds, caller, callee, direction); `answeredAndAgent` gives half of them an answer time and
 * most an agent (drawn after the rest, so the other columns are the same either way).
 */
export function writeSortColumnCalls(db: BetterSqlite3.Database, seed: number, answeredAndAgent = false): void {
  const rand = seededRand(seed);
  const insert = db.prepare(`INSERT INTO cdrs (account_id, call_id, direction, source, destination, status, started_at, ended_at, duration_sec, bill_sec, answered_at, agent, raw, first_seen_at, updated_at)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0)`);
  db.transaction(() => {
    for (let i = 0; i < 4000; i++) {
      const started = rand(40) === 0 ? null : FIXTURE_T0 + rand(90 * 86_400) * 1000;
      const duration = rand(10) === 0 ? null : rand(900);
      const row = [1 + rand(2), `c${i}`, ['in', 'out', null][rand(3)], rand(5) ? `07${rand(1000)}` : null, rand(7) ? `09${rand(50)}` : null,
        ['answered', 'busy', 'no_answer'][rand(3)], started, started !== null && duration !== null ? started + duration * 1000 : null, duration,
        duration === null ? null : rand(3) ? duration : 0];
      const answered = answeredAndAgent && started !== null && rand(2) ? started + 5000 : null;
      const agent = answeredAndAgent && rand(4) ? `Agent ${rand(6)}` : null;
      insert.run(...row, answered, agent);
    }
  })();
}
