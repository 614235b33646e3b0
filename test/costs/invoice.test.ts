// "Compare with invoice": our figures for the invoice's period, the difference, and the likeliest cause, each
// case built so that the invoice is what that cause would give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvoice } from '../../electron/data/costs/invoice.ts';
import { ratesFromTable } from '../../electron/data/costs/rates.ts';
import { importRates, setBilling } from '../../electron/data/costs/store.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
const T = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  const id = await addSyntheticAccount(ws, { name: 'RO', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  writeSynthetic(ws, id, [
    makeCdr({ callId: '1', destination: '4021', billSec: 60, durationSec: 75, startedAt: T('2024-03-05T10:00:00Z') }),
    makeCdr({ callId: '2', destination: '4021', billSec: 120, durationSec: 130, startedAt: T('2024-03-20T10:00:00Z') }),
    makeCdr({ callId: '3', destination: '4021', status: 'no_answer', billSec: 0, durationSec: 20, startedAt: T('2024-03-21T10:00:00Z') }),
    // Outside the period (April in Bucharest).
    makeCdr({ callId: '4', destination: '4021', billSec: 600, durationSec: 600, startedAt: T('2024-03-31T21:30:00Z') }),
  ]);
  setBilling(ws.db, 'RO', { currency: 'EUR' });
  // 1/1 at 0.10 from January, 0.20 from 2024-03-15: call 1 costs 0.10, call 2 0.40, call 3 nothing.
  importRates(ws.db, 'RO', ratesFromTable([
    { line: 1, cells: ['prefix', 'per_minute', 'increment', 'effective_from'] },
    { line: 2, cells: ['40', '0.10', '1/1', '2024-01-01'] },
    { line: 3, cells: ['40', '0.20', '1/1', '2024-03-15'] },
  ], 'RO', 'r.csv'));
});
afterAll(() => ws.close());

const check = (minutes: number, amount: number) => checkInvoice(ws.db, { account: 'RO', from: '2024-03-01', to: '2024-03-31', minutes, amount });

describe('compare with invoice', () => {
  it('gives our figures for the period, and no cause when they match', () => {
    const r = check(3, 0.5);
    expect(r.ours).toEqual({ calls: 3, billedMinutes: 3, billableMinutes: 3, durationMinutes: 3.75, cost: 0.5, pendingCalls: 0, unpricedCalls: 0 });
    expect(r.difference).toEqual({ minutes: 0, amount: 0 });
    expect(r.cause).toBeNull();
  });

  it('names duration billing when the invoice is what duration would cost', () => {
    // Duration: 75 s at 0.10 = 0.125, 130 s at 0.20 = 0.4333 -> 0.4333; sum 0.5583.
    const r = check(3.42, 0.5583);
    expect(r.difference.amount).toBe(0.0583);
    expect(r.cause).toEqual({ kind: 'duration', since: null, count: null, amount: 0.5583 });
  });

  it('names a rate in force since a date when the invoice is still on the old price', () => {
    const r = check(3, 0.3);
    expect(r.difference.amount).toBe(-0.2);
    expect(r.cause).toEqual({ kind: 'rate_change', since: '2024-03-15', count: null, amount: 0.3 });
  });

  it('names calls still pending when the invoice is above our figure and nothing else explains it', () => {
    const id = ws.db.prepare("SELECT id FROM accounts WHERE name = 'RO'").pluck().get() as number;
    ws.db.prepare("INSERT INTO known_ids (account_id, call_id, state, added_at) VALUES (?, 'later-1', 'pending', 0), (?, 'later-2', 'pending', 0)").run(id, id);
    const r = check(4, 0.9);
    expect(r.cause).toEqual({ kind: 'pending', since: null, count: 2, amount: null });
    ws.db.prepare("DELETE FROM known_ids WHERE account_id = ?").run(id);
    expect(check(4, 0.9).cause).toEqual({ kind: 'none', since: null, count: null, amount: null });
  });
});
