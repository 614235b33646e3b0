// The CSV export on several threads (csv-parallel.ts) against the same export on one: byte for byte the same file
// for sorts whose split rows fall among NULLs, ties and groups, with filters; progress, cancel, a failing worker,
// and one snapshot for every part while a writer commits throughout.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import { EXPORT_COLUMNS } from '../../electron/data/export/columns.ts';
import { writeCsvParallel } from '../../electron/data/export/csv-parallel.ts';
import { FileOut } from '../../electron/data/export/file-out.ts';
import type { ExportProgress } from '../../electron/data/export/progress.ts';
import { rowQuery } from '../../electron/data/export/rows.ts';
import { exportCalls, type ExportCallsOptions } from '../../electron/data/export/run.ts';
import BetterSqlite3 from 'better-sqlite3';
import { open } from 'node:fs/promises';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { call, fixture, TRICKY, type Fixture } from './fixture.ts';

const COUNT = 3000;
const BASE = Date.UTC(2024, 2, 30, 20, 0, 0);
const STATUSES = ['answered', 'no_answer', 'busy', 'failed'] as const;
const AGENTS = ['Ana Pop', 'Ştefan Ţurcanu', 'علی رضایی', 'Bogdan, "B"', 'Zoe'];

/** Calls with NULLs (a third of the agents, some times and campaigns), ties in every sort value, DST changes. */
function calls() {
  const rows = Array.from({ length: COUNT }, (_, i) => call(`p${String((i * 7919) % COUNT).padStart(5, '0')}`, {
    // Three calls per minute share a start (ties decided by id), across the spring DST change.
    startedAt: i % 17 === 5 ? null : BASE + Math.floor(i / 3) * 60_000,
    agent: i % 3 === 0 ? null : AGENTS[i % AGENTS.length]!,
    campaign: i % 11 === 0 ? null : `Camp ${i % 4}${i % 9 === 0 ? ';x' : ''}`,
    status: STATUSES[(i * 5) % STATUSES.length]!,
    durationSec: i % 13 === 0 ? null : (i * 37) % 600,
  }));
  return [...rows, ...TRICKY];
}

describe('parallel CSV export', () => {
  let f: Fixture;
  const out = tempDir();
  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('Bucharest PBX', 'Europe/Bucharest', calls());
    return () => f.ws.close();
  });

  async function both(name: string, opts: Partial<ExportCallsOptions>, parts: number) {
    const base = { account: 'Bucharest PBX', format: 'csv' as const, ...opts };
    const one = await exportCalls(f.ws, { ...base, out: join(out, `${name}-1.csv`), csvParts: 1 });
    const many = await exportCalls(f.ws, { ...base, out: join(out, `${name}-${parts}.csv`), csvParts: parts, parallelMinRows: 1 });
    return { one, many, oneBytes: readFileSync(one.file), manyBytes: readFileSync(many.file) };
  }

  const sorts: (SortSpec | undefined)[] = [
    undefined, { field: 'startedAt', desc: false }, { field: 'agent', desc: false }, { field: 'agent', desc: true },
    { field: 'status', desc: false }, { field: 'campaign', desc: true }, { field: 'durationSec', desc: false }, { field: 'account', desc: false },
  ];
  it.each(sorts.map((s) => [s ? `${s.field} ${s.desc ? 'desc' : 'asc'}` : 'default (startedAt desc)', s] as const))(
    'sorted by %s: 3 parts give the same bytes as one thread', async (label, sort) => {
      const { one, many, oneBytes, manyBytes } = await both(label.replaceAll(' ', '_'), { sort }, 3);
      expect(one.rows).toBe(COUNT + TRICKY.length);
      expect(many.rows).toBe(one.rows);
      expect(manyBytes.equals(oneBytes)).toBe(true);
    }, 20_000);

  it('keeps filters, separator, columns and zone, on 2 parts', async () => {
    const filters: SearchFilter[] = [{ statuses: ['answered', 'busy'] }, { text: 'Ana' }, { minDuration: 100, maxDuration: 400 }, { campaign: 'Camp 1' }];
    for (const [i, filter] of filters.entries()) {
      const { one, many, oneBytes, manyBytes } = await both(`filter${i}`, {
        filter, separator: ';', tz: 'Asia/Tehran', columns: ['Agent', 'Started', 'Call ID', 'Campaign'], sort: { field: 'agent', desc: true },
      }, 2);
      expect(one.rows).toBeGreaterThan(2);
      expect(one.rows).toBeLessThan(COUNT);
      expect(many.rows).toBe(one.rows);
      expect(manyBytes.toString('utf8')).toBe(oneBytes.toString('utf8'));
    }
  }, 20_000);

  it('splits even when there are fewer rows than parts', async () => {
    const { one, many, manyBytes, oneBytes } = await both('tiny', { filter: { text: '000123' } }, 3);
    expect(one.rows).toBe(1);
    expect(many.rows).toBe(1);
    expect(manyBytes.equals(oneBytes)).toBe(true);
  });

  it('reports progress of all parts up to the total, and cancels leaving no file', async () => {
    const dir = tempDir();
    const seen: ExportProgress[] = [];
    const base = { account: 'Bucharest PBX', format: 'csv' as const, csvParts: 2, parallelMinRows: 1 };
    // Progress comes every 10,000 rows of a part: a larger export, the fixture's rows five times over.
    const r = await exportCalls(f.ws, { ...base, out: join(dir, 'all.csv'), onProgress: (p) => seen.push(p) });
    expect(r.rows).toBe(COUNT + TRICKY.length);
    expect(seen.every((p) => p.total === r.rows)).toBe(true);
    expect(seen.map((p) => p.rows)).toEqual([...seen.map((p) => p.rows)].sort((a, b) => a - b));
    expect(seen.at(-1)!.rows).toBe(r.rows);

    for (const when of ['at once', 'after the first progress'] as const) {
      const cancel = new AbortController();
      if (when === 'at once') cancel.abort();
      const file = join(dir, 'cancelled.csv');
      const run = exportCalls(f.ws, { ...base, out: file, signal: cancel.signal, onProgress: () => cancel.abort() });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(existsSync(file)).toBe(false);
    }
    // No temporary or part file left behind.
    expect(readdirSync(dir)).toEqual(['all.csv']);
  }, 20_000);

  it('stops and reports the error of a worker that cannot write its part', async () => {
    const dir = tempDir();
    const db = new BetterSqlite3(f.ws.db.name, { readonly: true });
    const handle = await open(join(dir, 'out.csv'), 'w');
    const filter = { accounts: ['Bucharest PBX'] };
    try {
      const run = writeCsvParallel(new FileOut(handle), {
        dbFile: f.ws.db.name, db, cacheKiB: 2048, parts: 2, partFile: () => join(dir, 'no-such-folder', 'part.1'),
        prepare: () => ({ total: COUNT + TRICKY.length, query: rowQuery(db, filter, undefined, EXPORT_COLUMNS) }),
        columns: [...EXPORT_COLUMNS], zone: 'UTC',
      });
      await expect(run).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open' });
    } finally {
      await handle.close();
      db.close();
    }
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('reads one snapshot in every part while a writer commits throughout', async () => {
    const early = BASE - 3_600_000;
    const late = BASE + COUNT * 20_000 + 3_600_000;
    const writer = spawn(process.execPath, [join(import.meta.dirname, 'insert-loop.ts'), f.dir, String(f.accountId), String(early), String(late)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<never>((_, reject) => writer.once('exit', (code) => reject(new Error(`writer exited (${code})`))));
    exited.catch(() => {});
    const dir = tempDir();
    const db = new BetterSqlite3(f.ws.db.name, { readonly: true });
    const filter = { accounts: ['Bucharest PBX'] };
    const columns = EXPORT_COLUMNS.filter((c) => c.header === 'Call ID');
    let parallelRounds = 0;
    try {
      await Promise.race([new Promise((resolve) => writer.stdout!.once('data', resolve)), exited]);
      for (let round = 0; round < 6; round++) {
        const file = join(dir, `snapshot${round}.csv`);
        const handle = await open(file, 'wx');
        let total = 0;
        const out = new FileOut(handle);
        const r = await writeCsvParallel(out, {
          dbFile: f.ws.db.name, db, cacheKiB: 2048, parts: 3, partFile: (i) => `${file}.${i}`, columns, zone: 'UTC',
          prepare: () => {
            total = db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
            return { total, query: rowQuery(db, filter, { field: 'startedAt', desc: false }, columns) };
          },
        }).then(async (x) => (await out.flush(), x)).finally(() => handle.close());
        if (db.inTransaction) db.exec('COMMIT');
        if (r.parts > 1) parallelRounds++;
        const ids = (parse(readFileSync(file), { bom: true }) as string[][]).slice(1).map((x) => x[0]!);
        expect(ids).toHaveLength(r.rows);
        expect(r.rows).toBe(total);
        expect(new Set(ids).size).toBe(ids.length);
        // The writer's calls alternate between the first and the last part: one snapshot holds w0 ... wN-1 exactly.
        const written = ids.filter((id) => id.startsWith('w')).map((id) => Number(id.slice(1))).sort((a, b) => a - b);
        expect(written.length).toBeGreaterThan(0);
        expect(written).toEqual(written.map((_, i) => i));
        expect(ids.length - written.length).toBe(COUNT + TRICKY.length);
      }
      // A commit every few milliseconds: most attempts to pin find a quiet moment.
      expect(parallelRounds).toBeGreaterThan(0);
    } finally {
      writer.kill();
      db.close();
    }
    expect(readdirSync(dir).filter((name) => name.includes('.csv.'))).toEqual([]);
  }, 20_000);
});
