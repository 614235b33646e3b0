// The CSV export on several threads (csv-parallel.ts) against the same export on one: byte for byte the same file
// for sorts whose chunk bounds fall among NULLs, ties and groups, with filters; progress, cancel, a failing chunk,
// and one snapshot for every part while a writer commits throughout.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import { EXPORT_COLUMNS } from '../../electron/data/export/columns.ts';
import { chunkKeys, writeCsvParallel } from '../../electron/data/export/csv-parallel.ts';
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
    const one = await exportCalls(f.ws, { ...base, out: join(out, `${name}-1.csv`), parallel: { parts: 1 } });
    // Chunks of an odd size, so their bounds fall among NULLs, ties and groups.
    const many = await exportCalls(f.ws, { ...base, out: join(out, `${name}-${parts}.csv`), parallel: { parts, minRows: 1, chunkRows: 97 } });
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

  it('finds chunk bounds by index steps or by one numbered sort, the same rows either way', () => {
    const filter = { accounts: ['Bucharest PBX'] };
    const cases: [SortSpec, boolean][] = [[{ field: 'startedAt', desc: true }, false], [{ field: 'startedAt', desc: false }, false], [{ field: 'endedAt', desc: false }, true]];
    for (const [sort, sorts] of cases) {
      const q = rowQuery(f.ws.db, filter, sort, EXPORT_COLUMNS);
      const all = f.ws.db.prepare(`SELECT ${q.sortExpr}, id FROM cdrs WHERE ${q.where} ORDER BY ${q.orderBy}`).raw().all(...q.params) as [unknown, number][];
      const plan = f.ws.db.prepare(`EXPLAIN QUERY PLAN SELECT ${q.sortExpr}, id FROM cdrs WHERE ${q.where} ORDER BY ${q.orderBy}`).all(...q.params) as { detail: string }[];
      // Both ways are taken: startedAt has an index, endedAt does not. Sorting only the ties of an index's order
      // ("TEMP B-TREE FOR LAST TERM / RIGHT PART OF ORDER BY") still reads in index order; a full sort does not.
      expect(plan.some((p) => p.detail.includes('TEMP B-TREE FOR ORDER BY'))).toBe(sorts);
      const keys = chunkKeys(f.ws.db, q, all.length, 101);
      expect(keys).toHaveLength(Math.ceil(all.length / 101) - 1);
      expect(keys).toEqual(keys.map((_, i) => ({ value: all[(i + 1) * 101 - 1]![0], id: all[(i + 1) * 101 - 1]![1] })));
    }
  });

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
    const base = { account: 'Bucharest PBX', format: 'csv' as const, parallel: { parts: 2, minRows: 1, chunkRows: 500 } };
    const r = await exportCalls(f.ws, { ...base, out: join(dir, 'all.csv'), onProgress: (p) => seen.push(p) });
    expect(r.rows).toBe(COUNT + TRICKY.length);
    expect(seen.every((p) => p.total === r.rows)).toBe(true);
    expect(seen.map((p) => p.rows)).toEqual([...seen.map((p) => p.rows)].sort((a, b) => a - b));
    expect(seen.at(-1)!.rows).toBe(r.rows);
    expect(seen.length).toBeGreaterThanOrEqual(6);

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

  it('stops every thread and passes on the error when a chunk fails', async () => {
    const dir = tempDir();
    const db = new BetterSqlite3(f.ws.db.name, { readonly: true });
    const handle = await open(join(dir, 'out.csv'), 'w');
    const filter = { accounts: ['Bucharest PBX'] };
    try {
      const run = writeCsvParallel(new FileOut(handle), {
        dbFile: f.ws.db.name, db, sortCacheKiB: 2048, parts: 3, chunkRows: 200, columns: [...EXPORT_COLUMNS], zone: 'UTC',
        // A column the table lacks: every chunk's read fails, in whichever thread runs it.
        prepare: () => ({ total: COUNT, query: { ...rowQuery(db, filter, undefined, EXPORT_COLUMNS), select: 'call_id, no_such_column' } }),
      });
      await expect(run).rejects.toThrow('no such column: no_such_column');
    } finally {
      await handle.close();
      db.close();
    }
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
          dbFile: f.ws.db.name, db, sortCacheKiB: 2048, parts: 3, chunkRows: 300, columns, zone: 'UTC',
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
  }, 20_000);
});
