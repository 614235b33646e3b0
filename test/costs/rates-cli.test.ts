// Rate cards through the real `cdr-desk` binary on a real data folder: import (CSV and XLSX), list, clear,
// history kept, bad files refused by line with nothing changed, and the costs search and summary then show,
// against hand computations; two currencies never added together.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../electron/data/summary/summary.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';


const keyFile = isolatedKeyFile();
const dir = tempDir();
const env = { CDR_DESK_KEY_FILE: keyFile, CDR_DESK_DATA_DIR: dir };
const cli = (...args: string[]) => runCli(args, env);
const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const T = (iso: string) => Date.parse(iso);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Bucharest calls (UTC+2 in winter). Campaign A on 2024-02-01 and 2024-03-01, campaign B on 2024-03-01.
const RO_CALLS = [
  makeCdr({ callId: 'r1', campaign: 'A', destination: '+40 721 000 001', status: 'answered', billSec: 61, durationSec: 70, startedAt: T('2024-02-01T08:00:00Z') }),
  makeCdr({ callId: 'r2', campaign: 'A', destination: '0040311111', status: 'answered', billSec: 31, durationSec: 40, startedAt: T('2024-02-01T09:00:00Z') }),
  makeCdr({ callId: 'r3', campaign: 'A', destination: '+40 721 000 002', status: 'no_answer', billSec: 0, durationSec: 25, startedAt: T('2024-03-01T08:00:00Z') }),
  makeCdr({ callId: 'r4', campaign: 'B', destination: '+40 721 000 003', status: 'answered', billSec: 120, durationSec: 130, startedAt: T('2024-03-01T10:00:00Z') }),
  makeCdr({ callId: 'r5', campaign: 'B', destination: '+1 555 0100', status: 'answered', billSec: 10, durationSec: 15, startedAt: T('2024-03-01T11:00:00Z') }),
];
const FA_CALLS = [
  makeCdr({ callId: 'f1', campaign: 'A', destination: '98912000001', status: 'answered', billSec: 90, durationSec: 95, startedAt: T('2024-03-01T08:00:00Z') }),
];

beforeAll(async () => {
  expect(cli('accounts', 'add', 'RO', '--provider', 'pbx-cdr', '--base-url', 'http://127.0.0.1:9', '--timezone', 'Europe/Bucharest',
    '--secret', 'token=t', '--secret', 'apiKey=k', '--currency', 'usd').status).toBe(0);
  expect(cli('accounts', 'add', 'FA', '--provider', 'pbx-cdr', '--base-url', 'http://127.0.0.1:9', '--timezone', 'Asia/Tehran',
    '--secret', 'token=t', '--secret', 'apiKey=k', '--currency', 'EUR', '--unanswered-fee', 'yes').status).toBe(0);
  const ws = openWorkspace(dir);
  const id = (name: string) => ws.db.prepare('SELECT id FROM accounts WHERE name = ?').pluck().get(name) as number;
  writeSynthetic(ws, id('RO'), RO_CALLS);
  writeSynthetic(ws, id('FA'), FA_CALLS);
  ws.close();
});

const RO_CARD = `effective_from,prefix,per_minute,increment,connect_fee,min_seconds
2024-01-01,,0.10,60/60,,
2024-01-01,40,0.05,1/1,0.02,
2024-01-01,4072,0.20,30/6,0,45
`;

describe('cdr-desk rates', () => {
  it('refuses a bad file by line, and changes nothing', () => {
    const bad = file('bad.csv', RO_CARD + '2024-01-01,40,0.05,60,0,\n');
    const r = cli('rates', 'import', 'RO', bad);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`cdr-desk: account "RO": rate file ${bad}, line 5: increment "60" is not first/next in whole seconds of at least 1 (like 60/60, 1/1 or 30/6); nothing was changed`);
    expect(json('rates', 'list', 'RO').rates).toEqual([]);
    const dup = cli('rates', 'import', 'RO', file('dup.csv', RO_CARD + '2024-01-01,+40,0.06,1/1,0,\n'));
    expect(dup.stderr).toMatch(/line 5: prefix "40" from 2024-01-01 is already on line 3; nothing was changed/);
    expect(cli('rates', 'import', 'RO', file('neg.csv', 'prefix,per_minute,increment,effective_from\n1,-1,1/1,2024-01-01\n')).stderr).toMatch(/line 2: per_minute "-1" is negative/);
    expect(cli('rates', 'import', 'RO', file('empty.csv', 'prefix,per_minute,increment,effective_from\n')).stderr).toMatch(/holds no rates/);
    expect(cli('accounts', 'edit', 'RO', '--currency', 'XYZ').stderr).toMatch(/account "RO": unknown currency "XYZ"/);
    expect(json('rates', 'list', 'RO')).toMatchObject({ currency: 'USD', rates: [] });
    // Without a card, calls carry no cost and say why.
    const rows = json('search', '--account', 'RO').rows;
    expect(rows[0]).toMatchObject({ cost: null, currency: 'USD', costNote: 'no rate on the card covers this destination at the call\'s start' });
  });

  it('imports a CSV card, and search and summary show the hand-computed costs', () => {
    const r = cli('rates', 'import', 'RO', file('ro.csv', RO_CARD));
    expect(r.status, r.stderr).toBe(0);
    const costs = Object.fromEntries(json('search', '--account', 'RO', '--sort', 'callId').rows.map((c: { callId: string; cost: number; currency: string }) => [c.callId, [c.cost, c.currency]]));
    // r1 4072 30/6 min 45: 61 s -> 66 s at 0.20 = 0.22. r2 '00' prefix: default 60/60 at 0.10, 31 s -> 60 s = 0.10.
    // r3 unanswered, no connect fee for RO: 0. r4 4072: 120 s -> 120 s = 0.40. r5 default: 10 s -> 60 s = 0.10.
    expect(costs).toEqual({ r1: [0.22, 'USD'], r2: [0.1, 'USD'], r3: [0, 'USD'], r4: [0.4, 'USD'], r5: [0.1, 'USD'] });
    const byCampaign = json('summary', '--account', 'RO', '--by', 'campaign').rows;
    expect(byCampaign.map((x: Record<string, unknown>) => [x.key, x.cost, x.costPerAnswered, x.costPerMinute, x.currency, x.unpricedCalls])).toEqual([
      ['A', 0.32, 0.16, 0.2087, 'USD', 0], // 0.32 / 2 answered; 0.32 / (92 s / 60)
      ['B', 0.5, 0.25, 0.2308, 'USD', 0], // 0.50 / (130 / 60)
    ]);
    const byDay = json('summary', '--account', 'RO', '--by', 'day').rows;
    expect(byDay.map((x: Record<string, unknown>) => [x.key, x.cost])).toEqual([['2024-02-01', 0.32], ['2024-03-01', 0.5]]);
    // A cost range.
    expect(json('search', '--account', 'RO', '--min-cost', '0.2', '--max-cost', '0.3').rows.map((c: { callId: string }) => c.callId)).toEqual(['r1']);
  });

  it('keeps history: a later rate changes only the calls after it', () => {
    const r = cli('rates', 'import', 'RO', file('later.csv', 'prefix,per_minute,increment,effective_from\n4072,0.30,1/1,2024-02-15\n'));
    expect(r.status, r.stderr).toBe(0);
    const costs = Object.fromEntries(json('search', '--account', 'RO').rows.map((c: { callId: string; cost: number }) => [c.callId, c.cost]));
    expect(costs).toMatchObject({ r1: 0.22, r4: 0.6 }); // r4 after 2024-02-15: 120 s at 0.30
    expect(json('rates', 'list', 'RO').rates).toHaveLength(4);
    // The same (prefix, date) again is refused.
    expect(cli('rates', 'import', 'RO', file('again.csv', 'prefix,per_minute,increment,effective_from\n4072,0.31,1/1,2024-02-15\n')).stderr)
      .toMatch(/already has a rate for prefix "4072" from 2024-02-15/);
  });

  it('reads XLSX cards, numbers and dates as typed', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rates');
    sheet.addRow(['Prefix', 'Per minute', 'Increment', 'Connect fee', 'Effective from']);
    sheet.addRow([98, 0.5, '60/60', 0.1, new Date(Date.UTC(2024, 0, 1))]);
    const path = join(dir, 'fa.xlsx');
    await book.xlsx.writeFile(path);
    const r = cli('rates', 'import', 'FA', path);
    expect(r.status, r.stderr).toBe(0);
    expect(json('rates', 'list', 'FA').rates).toEqual([{ prefix: '98', perMinute: '0.5', increment: '60/60', connectFee: '0.1', minSeconds: null, effectiveFrom: '2024-01-01' }]);
    // 90 s -> 120 s at 0.50 = 1.00 + 0.10.
    expect(json('search', '--account', 'FA').rows[0]).toMatchObject({ cost: 1.1, currency: 'EUR', costNote: null });
  });

  it('never adds two currencies: one row per key and currency', () => {
    const rows = json('summary', '--by', 'campaign').rows;
    expect(rows.map((x: Record<string, unknown>) => [x.key, x.currency, x.total, x.cost])).toEqual([
      ['A', 'USD', 3, 0.32],
      ['B', 'USD', 2, 0.7],
      ['A', 'EUR', 1, 1.1],
    ]);
    // The running totals and the calls give the same figures.
    const ws = openWorkspace(dir);
    for (const by of ['campaign', 'day', 'week', 'month', 'hour', 'status', 'account', 'agent'] as const) {
      expect(summarize(ws, { filter: {}, by }).rows, by).toEqual(summarize(ws, { filter: {}, by, readCalls: true }).rows);
    }
    // Months regroup days per currency: March holds both accounts' calls, in two rows.
    expect(summarize(ws, { filter: {}, by: 'month' }).rows.map((x) => [x.key, x.currency, x.cost])).toEqual([
      ['2024-02', 'USD', 0.32], ['2024-03', 'EUR', 1.1], ['2024-03', 'USD', 0.7],
    ]);
    ws.close();
  });

  it('bills by duration when told, and clears', () => {
    expect(cli('accounts', 'edit', 'RO', '--bill-by', 'duration').status).toBe(0);
    // r5 default 60/60: 15 s -> 60 s = 0.10; r4 4072 1/1 at 0.30: 130 s = 0.65.
    const costs = Object.fromEntries(json('search', '--account', 'RO').rows.map((c: { callId: string; cost: number }) => [c.callId, c.cost]));
    expect(costs).toMatchObject({ r4: 0.65, r5: 0.1 });
    expect(json('rates', 'clear', 'RO')).toEqual({ account: 'RO', removed: 4 });
    expect(json('summary', '--account', 'RO', '--by', 'campaign').rows.map((x: Record<string, unknown>) => [x.cost, x.unpricedCalls])).toEqual([[0, 3], [0, 2]]);
  });
});
