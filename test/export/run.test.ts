// exportCalls end to end on a real database: one account per file, zones, column choice, progress, cancel,
// and the file rules (never a half file, an existing file kept unless overwrite, clear errors for bad paths).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { exportCalls } from '../../electron/data/export/run.ts';
import type { ExportProgress } from '../../electron/data/export/progress.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { call, fixture, type Fixture } from './fixture.ts';

const MANY = 25_000;

describe('exportCalls', () => {
  let f: Fixture;
  beforeAll(async () => {
    isolatedKeyFile();
    const rows = Array.from({ length: MANY }, (_, i) => call(`c${String(i).padStart(6, '0')}`, { startedAt: Date.UTC(2024, 5, 1) + i * 60_000 }));
    f = await fixture('Saigon', 'Asia/Ho_Chi_Minh', rows, 'tel4vn-v3');
    const other = await f.ws.accounts.add({ name: 'Other', provider: 'tel4vn-v3', baseUrl: 'https://x.example', timezone: 'UTC', secrets: { token: 't' } });
    new CdrWriter(f.ws.db).write(other.id, [call('not-mine')]);
    return () => f.ws.close();
  });

  const csvRows = (file: string, delimiter = ',') => parse(readFileSync(file), { bom: true, delimiter }) as string[][];

  it('exports only the named account, in its zone, and leaves no temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'saigon.csv');
    const r = await exportCalls(f.ws, { account: 'saigon', format: 'csv', out: file, filter: { accounts: ['Other'] }, sort: { field: 'startedAt', desc: false } });
    expect(r).toEqual({ rows: MANY, file, sheets: [] });
    const rows = csvRows(file);
    expect(rows).toHaveLength(MANY + 1);
    expect(rows.slice(1).every((x) => x[1] === 'Saigon')).toBe(true);
    expect(rows[1]!.slice(0, 1).concat(rows[1]![8]!)).toEqual(['c000000', formatWall('Asia/Ho_Chi_Minh', Date.UTC(2024, 5, 1))]);
    expect(rows[1]![8]).toBe('2024-06-01 07:00:00');
    expect(readdirSync(dir)).toEqual(['saigon.csv']);
  });

  it('writes the times of another zone when asked, only the chosen columns, and ; between fields', async () => {
    const file = join(tempDir(), 'utc.csv');
    await exportCalls(f.ws, {
      account: 'Saigon', format: 'csv', out: file, tz: 'Europe/Bucharest', separator: ';', columns: ['Call ID', 'started', 'Destination'],
      filter: { to: '2024-06-01T00:01:00Z' }, sort: { field: 'startedAt', desc: false },
    });
    expect(csvRows(file, ';')).toEqual([['Call ID', 'Started', 'Destination'], ['c000000', '2024-06-01 03:00:00', "'+40700000000"], ['c000001', '2024-06-01 03:01:00', "'+40700000000"]]);
  });

  it('reports progress with the total and stops on cancel without leaving any file', async () => {
    const dir = tempDir();
    const seen: ExportProgress[] = [];
    const done = await exportCalls(f.ws, { account: 'Saigon', format: 'xlsx', out: join(dir, 'all.xlsx'), onProgress: (p) => seen.push(p) });
    expect(done).toEqual({ rows: MANY, file: join(dir, 'all.xlsx'), sheets: ['Calls', 'Summary'] });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((p) => p.total === MANY)).toBe(true);
    expect(seen.map((p) => p.rows)).toEqual([...seen.map((p) => p.rows)].sort((a, b) => a - b));
    expect(seen.at(-1)!.rows).toBe(MANY);

    for (const format of ['xlsx', 'csv'] as const) {
      const cancel = new AbortController();
      const out = join(dir, `cancelled.${format}`);
      const run = exportCalls(f.ws, { account: 'Saigon', format, out, signal: cancel.signal, onProgress: () => cancel.abort() });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual(['all.xlsx']);
  });

  it('reads a snapshot through its own connection, so a sync can write while an export runs', async () => {
    let written = 0;
    const r = await exportCalls(f.ws, {
      account: 'Saigon', format: 'csv', out: join(tempDir(), 'busy.csv'),
      onProgress: () => {
        // A write on the app's connection: refused ("connection is busy") if the export iterated on it.
        if (!written) written = new CdrWriter(f.ws.db).write(f.accountId, [call('arrived-during-export')]).inserted;
      },
    });
    expect(written).toBe(1);
    expect(r.rows).toBe(MANY);
    expect(readFileSync(r.file, 'utf8')).not.toContain('arrived-during-export');
    f.ws.db.prepare('DELETE FROM cdrs WHERE call_id = ?').run('arrived-during-export');
  });

  it('keeps an existing file unless asked to overwrite it', async () => {
    const file = join(tempDir(), 'exists.csv');
    writeFileSync(file, 'precious');
    await expect(exportCalls(f.ws, { account: 'Saigon', format: 'csv', out: file })).rejects.toThrow(
      `account "Saigon": "${file}" already exists (ask to overwrite it, e.g. --overwrite)`);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    await exportCalls(f.ws, { account: 'Saigon', format: 'csv', out: file, overwrite: true, filter: { text: 'c000007' } });
    expect(csvRows(file).map((r) => r[0])).toEqual(['Call ID', 'c000007']);
  });

  it('says clearly what is wrong: unknown account, bad zone, bad paths', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    mkdirSync(join(dir, 'a-folder'));
    const cases: [Parameters<typeof exportCalls>[1], string][] = [
      [{ account: 'Nope', format: 'csv', out: join(dir, 'x.csv') }, 'account "Nope": no such account'],
      [{ account: 'Saigon', format: 'csv', out: join(dir, 'x.csv'), tz: 'Mars/Olympus' }, 'account "Saigon": unknown time zone "Mars/Olympus"'],
      [{ account: 'Saigon', format: 'csv', out: join(dir, 'missing', 'x.csv') }, `account "Saigon": cannot write "${join(dir, 'missing', 'x.csv')}": the folder "${join(dir, 'missing')}" does not exist`],
      [{ account: 'Saigon', format: 'csv', out: join(blocker, 'x.csv') }, `account "Saigon": cannot write "${join(blocker, 'x.csv')}": part of the folder path`],
      [{ account: 'Saigon', format: 'xlsx', out: join(dir, 'a-folder'), overwrite: true }, `account "Saigon": cannot write "${join(dir, 'a-folder')}": it is a folder`],
      [{ account: 'Saigon', format: 'csv', out: join(dir, 'x.csv'), columns: ['Call ID', 'Price'] }, 'account "Saigon": unknown export column "Price"'],
    ];
    for (const [opts, message] of cases) await expect(exportCalls(f.ws, opts)).rejects.toThrow(message);
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'a-folder']);
  });
});
