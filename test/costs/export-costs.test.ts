// Exports carry Cost and Currency as their last columns: XLSX number cells in the currency's format (read back by
// openpyxl and LibreOffice), CSV plain decimals; the XLSX Summary sheet carries the campaign costs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratesFromTable } from '../../electron/data/costs/rates.ts';
import { importRates, setBilling } from '../../electron/data/costs/store.ts';
import { exportCalls } from '../../electron/data/export/run.ts';
import { call, fixture, type Fixture } from '../export/fixture.ts';
import { libreOfficeCsv, openpyxlMissing, readXlsx, sofficeMissing } from '../export/readers.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const ROWS = [
  call('a1', { destination: '+40 721 000 001', billSec: 61, campaign: 'Spring' }), // 4072 1/1 at 0.0125: 61 s -> 0.0127083 -> 0.0127
  call('a2', { destination: '+40 21 000 001', billSec: 30, campaign: 'Spring' }), // default 60/60 at 0.50 + 0.05: 60 s -> 0.55
  call('a3', { destination: '+40 21 000 002', billSec: 0, status: 'no_answer', campaign: 'Autumn' }), // unanswered: 0.05
  call('a4', { destination: '99', billSec: 10, campaign: 'Autumn', startedAt: Date.UTC(2023, 0, 1) }), // before the card: none
];

describe('exports with costs', () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('Bucharest PBX', 'Europe/Bucharest', ROWS);
    setBilling(f.ws.db, 'Bucharest PBX', { currency: 'USD', unansweredConnectFee: true });
    importRates(f.ws.db, 'Bucharest PBX', ratesFromTable([
      { line: 1, cells: ['prefix', 'per_minute', 'increment', 'connect_fee', 'effective_from'] },
      { line: 2, cells: ['', '0.50', '60/60', '0.05', '2024-01-01'] },
      { line: 3, cells: ['4072', '0.0125', '1/1', '0', '2024-01-01'] },
    ], 'Bucharest PBX', 'card.csv'));
    await exportCalls(f.ws, { account: 'Bucharest PBX', format: 'xlsx', out: join(out, 'calls.xlsx'), sort: { field: 'callId', desc: false } });
    await exportCalls(f.ws, { account: 'Bucharest PBX', format: 'csv', out: join(out, 'calls.csv'), sort: { field: 'callId', desc: false } });
  });
  afterAll(() => f.ws.close());

  it('CSV: Cost and Currency last, plain decimals', () => {
    const records = parse(readFileSync(join(out, 'calls.csv')), { bom: true }) as string[][];
    expect(records[0]!.slice(-2)).toEqual(['Cost', 'Currency']);
    expect(records.slice(1).map((r) => [r[0], ...r.slice(-2)])).toEqual([
      ['a1', '0.0127', 'USD'], ['a2', '0.55', 'USD'], ['a3', '0.05', 'USD'], ['a4', '', ''],
    ]);
  });

  it.skipIf(openpyxlMissing)('XLSX: cost cells are numbers in the currency format; the Summary sheet has the costs', () => {
    const book = readXlsx(join(out, 'calls.xlsx'));
    const calls = book.sheets[0]!;
    const header = calls.rows[0]!.map((c) => c.v);
    expect(header.slice(-2)).toEqual(['Cost', 'Currency']);
    const cost = header.indexOf('Cost');
    const cells = calls.rows.slice(1).map((r) => r[cost]!);
    expect(cells.map((c) => c.v)).toEqual([0.0127, 0.55, 0.05, null]);
    expect(cells.slice(0, 3).every((c) => c.t === 'n' && c.fmt === '#,##0.00## "USD"')).toBe(true);
    const summary = book.sheets[1]!;
    const head = summary.rows[0]!.map((c) => c.v);
    const at = (name: string) => head.indexOf(name);
    const byCampaign = Object.fromEntries(summary.rows.slice(1).map((r) => [r[0]!.v, [r[at('Cost')]!.v, r[at('Cost per answered call')]!.v, r[at('Currency')]!.v]]));
    // Spring: 0.0127 + 0.55 over 2 answered = 0.28135 -> 0.2814. Autumn: 0.05, its one answered call unpriced.
    expect(byCampaign).toEqual({ Spring: [0.5627, 0.2814, 'USD'], Autumn: [0.05, 0.05, 'USD'] });
    expect(summary.rows[1]![at('Cost')]!.fmt).toBe('#,##0.00## "USD"');
  });

  it.skipIf(sofficeMissing)('XLSX: LibreOffice shows the costs in the currency format', () => {
    const file = join(out, 'calls.xlsx');
    const csv = parse(libreOfficeCsv([file]).get(file)!) as string[][];
    expect(csv.slice(1).map((r) => r.slice(-2))).toEqual([['0.0127 USD', 'USD'], ['0.55 USD', 'USD'], ['0.05 USD', 'USD'], ['', '']]);
  }, 200_000);
});
