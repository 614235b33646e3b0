// CSV export read back with csv-parse: BOM, RFC 4180 quoting, CRLF, times in the zone, formula neutralization.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../electron/data/export/columns.ts';
import { writeCsv } from '../../electron/data/export/csv.ts';
import { exportRows } from '../../electron/data/export/rows.ts';
import { WallClock } from '../../electron/data/export/wall-clock.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { fixture, TRICKY, type Fixture } from './fixture.ts';
import { writeFile } from './write-file.ts';

const HEADER = ['Call ID', 'Account', 'Campaign', 'Direction', 'Source', 'Destination', 'Status', 'Provider status', 'Started',
  'Answered', 'Ended', 'Duration (s)', 'Billable (s)', 'Keypress', 'Agent', 'Recording', 'Contact', 'Cost', 'Currency'];
const ZONE = 'Europe/Bucharest';

describe('CSV export', () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('Bucharest PBX', ZONE, TRICKY);
    return () => f.ws.close();
  });

  async function exportCsv(name: string, separator: ',' | ';' = ',', zone = ZONE) {
    const file = join(out, name);
    const rows = exportRows(f.ws, { accounts: ['Bucharest PBX'] }, { field: 'callId', desc: false }, EXPORT_COLUMNS);
    const result = await writeFile(file, (o) => writeCsv(o, rows, { columns: EXPORT_COLUMNS, clock: new WallClock(zone), separator }));
    const bytes = readFileSync(file);
    const records = parse(bytes, { bom: true, delimiter: separator, relax_column_count: false }) as string[][];
    return { result, bytes, text: bytes.toString('utf8'), records };
  }

  it('starts with a UTF-8 BOM and the CLI.md header row, ends records with CRLF', async () => {
    const { bytes, text, records, result } = await exportCsv('a.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(records[0]).toEqual(HEADER);
    expect(result.rows).toBe(TRICKY.length);
    expect(records).toHaveLength(TRICKY.length + 1);
    expect(text.startsWith('\uFEFF' + HEADER.join(',') + '\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Outside quoted fields every line break is CRLF: only the quoted campaign "line\r\nbreak" holds one.
    const unquoted = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.match(/\r\n/g)).toHaveLength(TRICKY.length + 1);
    expect(unquoted).not.toMatch(/[^\r]\n|\r(?!\n)/);
  });

  it('keeps ids, numbers and names in any script exactly, and quotes what needs it', async () => {
    const { records } = await exportCsv('b.csv');
    const byId = new Map(records.slice(1).map((r) => [r[0]!.replace(/^'/, ''), r]));
    const persian = byId.get('000123')!;
    expect(persian.slice(0, 6)).toEqual(['000123', 'Bucharest PBX', 'کمپین بهار ۱۴۰۳', 'out', '00989121234567', "'+989121234567"]);
    expect(persian[14]).toBe('علی رضایی');
    expect(persian[16]).toBe('مریم احمدی'); // Contact, right after Recording
    expect(byId.get('0042')![2]).toBe('Chiến dịch Tết');
    expect(byId.get('0042')![7]).toBe('ANSWER, "ok"; done');
    expect(byId.get('=1+1')![2]).toBe('Campanie Ţară şi Ștefan');
    expect(byId.get('+40211234567')![2]).toBe('line\r\nbreak');
    expect(byId.get('x-nulls')!.slice(2)).toEqual(['', '', '0312285000', "'+40700000000", 'no_answer', '', '', '', '', '', '', '', '', '', '', '', '']);
    expect(byId.get('000123')!.slice(11, 13)).toEqual(['53', '45']);
  });

  it('neutralizes every text cell that starts with = + - @ tab or CR with a leading quote', async () => {
    const { records } = await exportCsv('c.csv');
    const formulaRow = records.find((r) => r[0] === "'=1+1")!;
    expect(formulaRow[13]).toBe("'-5");
    expect(formulaRow[14]).toBe("'@admin");
    expect(formulaRow[15]).toBe('\'=HYPERLINK("http://x","y")');
    expect(formulaRow[16]).toBe("'+Nguyễn Văn A");
    const plusRow = records.find((r) => r[0] === "'+40211234567")!;
    expect(plusRow[14]).toBe("'\tTabbed");
    expect(plusRow[7]).toBe("'\rcr");
    for (const r of records) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes times as YYYY-MM-DD HH:MM:SS wall time of the zone, across DST changes', async () => {
    for (const zone of [ZONE, 'Asia/Tehran']) {
      const { records } = await exportCsv(`t-${zone.replace('/', '_')}.csv`, ',', zone);
      for (const [i, c] of TRICKY.entries()) {
        const row = records.find((r) => r[0]!.replace(/^'/, '') === c.callId)!;
        const expected = [c.startedAt, c.answeredAt, c.endedAt].map((t) => (t === null ? '' : formatWall(zone, t)));
        expect(row.slice(8, 11), `row ${i} in ${zone}`).toEqual(expected);
      }
    }
    const { records } = await exportCsv('dst.csv');
    expect(records.find((r) => r[0] === 'x-dst')!.slice(8, 11)).toEqual(['2024-03-31 02:59:59', '2024-03-31 04:00:00', '2024-10-27 03:30:00']);
    expect(records.find((r) => r[0] === 'x-dst2')!.slice(8, 11)).toEqual(['2024-10-27 03:30:00', '2024-01-16 00:05:09', '']);
  });

  it('uses ; as separator when asked, quoting fields that hold ; and leaving commas alone', async () => {
    const { text, records } = await exportCsv('semi.csv', ';');
    expect(records[0]).toEqual(HEADER);
    expect(records.find((r) => r[0] === '0042')![7]).toBe('ANSWER, "ok"; done');
    expect(text).toContain(';"ANSWER, ""ok""; done";');
    expect(text).toContain(';DST;');
  });

  it('writes a valid file with only the header when no row matches', async () => {
    const file = join(out, 'empty.csv');
    const result = await writeFile(file, (o) => writeCsv(o, [], { columns: EXPORT_COLUMNS, clock: new WallClock(ZONE) }));
    expect(result.rows).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('\uFEFF' + HEADER.join(',') + '\r\n');
  });
});
