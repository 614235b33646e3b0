// XLSX export read back by real readers: openpyxl (cell types, date cells, frozen header, autofilter, widths,
// sheet names) and LibreOffice headless (what a spreadsheet shows, converted to CSV).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../electron/data/export/columns.ts';
import { exportRows } from '../../electron/data/export/rows.ts';
import { exportCalls } from '../../electron/data/export/run.ts';
import { WallClock } from '../../electron/data/export/wall-clock.ts';
import { writeXlsx } from '../../electron/data/export/xlsx.ts';
import { summarize } from '../../electron/data/summary/summary.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY, type Fixture } from './fixture.ts';
import { writeFile } from './write-file.ts';
import { libreOfficeCsv, openpyxlMissing, readXlsx, sofficeMissing, type XlsxCell } from './readers.ts';

const HEADER = EXPORT_COLUMNS.map((c) => c.header);
const ZONE = 'Europe/Bucharest';

describe('XLSX export', () => {
  let f: Fixture;
  const out = tempDir();
  const files: Record<string, string> = {};

  async function exportXlsx(name: string, maxRowsPerSheet?: number, minDuration?: number) {
    const file = join(out, name);
    const result = await exportCalls(f.ws, {
      account: 'Bucharest PBX', format: 'xlsx', out: file, filter: { minDuration }, sort: { field: 'callId', desc: false }, maxRowsPerSheet,
    });
    files[name] = file;
    return result;
  }

  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('Bucharest PBX', ZONE, TRICKY);
    await exportXlsx('calls.xlsx');
    await exportXlsx('split.xlsx', 4);
    return () => f.ws.close();
  });

  describe.skipIf(openpyxlMissing)(`read with openpyxl${openpyxlMissing ? ` (skipped: ${openpyxlMissing})` : ''}`, () => {
    const cellsOf = (row: XlsxCell[]) => row.map((c) => c.v);

    it('has the header row of CLI.md, bold and frozen, an autofilter, widths, and a Summary sheet', () => {
      const book = readXlsx(files['calls.xlsx']!);
      expect(book.sheets.map((s) => s.name)).toEqual(['Calls', 'Summary']);
      const calls = book.sheets[0]!;
      expect(cellsOf(calls.rows[0]!)).toEqual(HEADER);
      expect(calls.rows[0]!.every((c) => c.bold && c.t === 's')).toBe(true);
      expect(calls.freeze).toBe('A2');
      expect(calls.filter).toBe(`A1:S${TRICKY.length + 1}`);
      expect(calls.widths['A']).toBeGreaterThanOrEqual(20);
      expect(calls.widths['P']).toBeGreaterThanOrEqual(30);
      expect(calls.rows).toHaveLength(TRICKY.length + 1);
      const summary = book.sheets[1]!;
      expect(cellsOf(summary.rows[0]!)).toEqual(['Campaign', 'Calls', 'Answered', 'No answer', 'Busy', 'Congestion', 'Failed',
        'Invalid number', 'Cancelled', 'Pending', 'Unknown', 'Answer rate', 'Average talk time (s)', 'Billable seconds', 'Billable minutes',
        'Average ring/wait (s)', 'Cost', 'Cost per answered call', 'Cost per billable minute', 'Currency']);
      // The campaign summary of the same rows, as summarize computes it (null campaign shown as "(no campaign)").
      const expected = summarize(f.ws, { filter: { accounts: ['Bucharest PBX'] }, by: 'campaign' }).rows.map((r) => [
        r.key ?? '(no campaign)', r.total, r.answered, r.no_answer, r.busy, r.congestion, r.failed, r.invalid_number, r.cancelled,
        r.pending, r.unknown, r.answerRate, r.avgTalkSec, r.billSec, r.billMinutes, r.avgWaitSec, r.cost, r.costPerAnswered, r.costPerMinute, r.currency,
      ]);
      expect(summary.rows.slice(1).map(cellsOf)).toEqual(expected);
      expect(expected.map((r) => r[0])).toEqual(expect.arrayContaining(['DST', '(no campaign)', 'کمپین بهار ۱۴۰۳']));
      expect(summary.rows[1]![11]!.fmt).toBe('0.0%');
      expect(summary.freeze).toBe('A2');
      expect(summary.filter).toBe(`A1:T${expected.length + 1}`);
    });

    it('writes ids and phone numbers as text cells, exactly, and nothing as a formula', () => {
      const book = readXlsx(files['calls.xlsx']!);
      const rows = book.sheets[0]!.rows.slice(1);
      const byId = new Map(rows.map((r) => [r[0]!.v, r]));
      const persian = byId.get('000123')!;
      expect(persian.slice(0, 6).map((c) => [c.v, c.t])).toEqual([
        ['000123', 's'], ['Bucharest PBX', 's'], ['کمپین بهار ۱۴۰۳', 's'], ['out', 's'], ['00989121234567', 's'], ['+989121234567', 's'],
      ]);
      expect(persian[14]!.v).toBe('علی رضایی');
      expect(byId.get('0042')![2]!.v).toBe('Chiến dịch Tết');
      const formula = byId.get('=1+1')!;
      expect(formula[0]!.t).toBe('s');
      expect(formula[2]!.v).toBe('Campanie Ţară şi Ștefan');
      expect([formula[13]!.v, formula[14]!.v, formula[15]!.v]).toEqual(['-5', '@admin', '=HYPERLINK("http://x","y")']);
      expect(byId.get('+40211234567')![2]!.v).toBe('line\r\nbreak');
      expect(byId.get('+40211234567')![14]!.v).toBe('\tTabbed');
      expect(byId.get('+40211234567')![7]!.v).toBe('\rcr');
      for (const sheet of book.sheets) for (const r of sheet.rows) for (const c of r) expect(c.t).not.toBe('f');
    });

    it('writes times as date cells holding the wall time, and seconds as numbers', () => {
      const rows = readXlsx(files['calls.xlsx']!).sheets[0]!.rows.slice(1);
      for (const c of TRICKY) {
        const row = rows.find((r) => r[0]!.v === c.callId)!;
        [c.startedAt, c.answeredAt, c.endedAt].forEach((t, i) => {
          const cell = row[8 + i]!;
          if (t === null) return expect(cell.v).toBeNull();
          expect(cell.date).toBe(true);
          expect(cell.fmt).toBe('yyyy-mm-dd hh:mm:ss');
          expect(cell.v).toBe(formatWall(ZONE, t) + '.000000');
        });
        const secs = row.slice(11, 13);
        expect(secs.map((s) => s.v)).toEqual([c.durationSec, c.billSec]);
        if (c.durationSec !== null) expect(secs.map((s) => s.t)).toEqual(['n', 'n']);
      }
    });

    it('continues on further sheets, each with the header, when a sheet is full', () => {
      const book = readXlsx(files['split.xlsx']!);
      expect(book.sheets.map((s) => [s.name, s.rows.length, s.filter, s.freeze])).toEqual([
        ['Calls', 4, 'A1:S4', 'A2'], ['Calls (2)', 4, 'A1:S4', 'A2'], ['Calls (3)', 2, 'A1:S2', 'A2'], ['Summary', 7, 'A1:T7', 'A2'],
      ]);
      const ids = book.sheets.slice(0, 3).flatMap((s) => {
        expect(cellsOf(s.rows[0]!)).toEqual(HEADER);
        return s.rows.slice(1).map((r) => r[0]!.v);
      });
      expect(ids).toEqual(TRICKY.map((c) => c.callId).sort());
    });

    it('writes repeated texts once in a shared-string table, and inline once the table is full, with the same cells', async () => {
      const file = join(out, 'few-shared.xlsx');
      const rows = exportRows(f.ws, { accounts: ['Bucharest PBX'] }, { field: 'callId', desc: false }, EXPORT_COLUMNS);
      await writeFile(file, (o) => writeXlsx(o, rows, { columns: EXPORT_COLUMNS, clock: new WallClock(ZONE), maxSharedStrings: 3 }));
      const sheetXml = (f: string) => execFileSync('/usr/bin/python3', ['-c',
        'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())', f], { encoding: 'utf8' });
      // The full table holds every repeated text; a table of 3 holds the first three and the rest go inline.
      expect(sheetXml(files['calls.xlsx']!)).not.toMatch(/<c [^>]*t="inlineStr"><is><t>(Bucharest PBX|answered|out)</);
      expect(sheetXml(file)).toMatch(/t="s"><v>2</);
      expect(sheetXml(file)).toMatch(/<c [^>]*t="inlineStr"><is><t>(Ana Pop|ANSWERED|answered|out|no_answer)</);
      const cells = (f: string) => readXlsx(f).sheets[0]!.rows.map((r) => r.map((c) => [c.v, c.t, c.fmt]));
      expect(cells(file)).toEqual(cells(files['calls.xlsx']!));
    });

    it('writes a valid workbook with only the header when no row matches', async () => {
      expect((await exportXlsx('empty.xlsx', undefined, 1_000_000)).rows).toBe(0);
      const book = readXlsx(files['empty.xlsx']!);
      expect(book.sheets.map((s) => [s.name, s.rows.length, s.filter, s.freeze])).toEqual([
        ['Calls', 1, 'A1:S1', 'A2'], ['Summary', 1, 'A1:T1', 'A2'],
      ]);
      expect(cellsOf(book.sheets[0]!.rows[0]!)).toEqual(HEADER);
    });
  });

  describe.skipIf(sofficeMissing)(`read with LibreOffice${sofficeMissing ? ` (skipped: ${sofficeMissing})` : ''}`, () => {
    it('shows ids, phone numbers, names and times as written', () => {
      const csv = libreOfficeCsv([files['calls.xlsx']!]).get(files['calls.xlsx']!)!;
      const records = parse(csv, { bom: true }) as string[][];
      expect(records[0]).toEqual(HEADER);
      const byId = new Map(records.slice(1).map((r) => [r[0], r]));
      expect(byId.get('000123')!.slice(0, 6)).toEqual(['000123', 'Bucharest PBX', 'کمپین بهار ۱۴۰۳', 'out', '00989121234567', '+989121234567']);
      expect(byId.get('=1+1')!.slice(13, 17)).toEqual(['-5', '@admin', '=HYPERLINK("http://x","y")', '+Nguyễn Văn A']);
      for (const c of TRICKY) {
        const row = byId.get(c.callId)!;
        expect(row.slice(8, 11)).toEqual([c.startedAt, c.answeredAt, c.endedAt].map((t) => (t === null ? '' : formatWall(ZONE, t))));
        expect(row.slice(11, 13)).toEqual([c.durationSec, c.billSec].map((s) => (s === null ? '' : String(s))));
      }
    });
  });
});
