// A summary reads its covering index in many ranges (one statement each): all of them must see the same calls,
// even when another connection (a sync in another process) commits between two of them.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourWeekdayMatrix, summarize } from '../../electron/data/summary/summary.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
let lastAccount: number;

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  for (const name of ['A', 'B']) {
    lastAccount = await addSyntheticAccount(ws, { name, provider: 'pbx-cdr', timezone: 'Asia/Tehran', script: 'fa' });
    writeSynthetic(ws, lastAccount, ['x', 'y'].map((c, i) => makeCdr({ callId: `${name}-${i}`, campaign: c, startedAt: Date.UTC(2024, 0, 1 + i) })));
  }
});
afterAll(() => ws.close());

/** Makes another connection commit one more call of account B right after the first range is read. */
function commitDuringFirstRange(): () => void {
  const other = new BetterSqlite3(ws.db.name);
  const prepare = ws.db.prepare.bind(ws.db);
  let done = false;
  ws.db.prepare = ((sql: string) => {
    const stmt = prepare(sql);
    if (!/campaign IS \?/.test(sql)) return stmt;
    const all = stmt.all.bind(stmt);
    stmt.all = ((...args: unknown[]) => {
      const rows = all(...args);
      if (!done) {
        done = true;
        other.prepare(`INSERT INTO cdrs (account_id, call_id, campaign, status, started_at, raw, first_seen_at, updated_at)
                       VALUES (?, ?, 'y', 'answered', ?, '{}', 0, 0)`).run(lastAccount, `late-${Math.random()}`, Date.UTC(2024, 0, 2));
      }
      return rows;
    }) as typeof stmt.all;
    return stmt;
  }) as typeof ws.db.prepare;
  return () => {
    delete (ws.db as { prepare?: unknown }).prepare; // back to the prototype's method
    other.close();
  };
}

describe('one snapshot per summary', () => {
  it('the campaign summary and the matrix ignore a call committed while they read', () => {
    for (const run of [
      () => summarize(ws, { filter: {}, by: 'campaign', readCalls: true }).rows.reduce((n, r) => n + r.total, 0),
      () => hourWeekdayMatrix(ws, { filter: {}, readCalls: true }).campaigns.reduce((n, c) => n + c.total.flat().reduce((x, y) => x + y, 0), 0),
    ]) {
      const before = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
      const restore = commitDuringFirstRange();
      try {
        expect(run()).toBe(before);
      } finally {
        restore();
      }
      // The call was committed: the next summary counts it.
      expect(ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(before + 1);
      expect(run()).toBe(before + 1);
    }
  });
});
