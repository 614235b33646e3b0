// The parallel CSV export as the app ships it: bundled by esbuild to CommonJS with the data host's options
// (build/bundle-options.mjs), its worker found beside the bundle, not as the .ts source beside csv-parallel.ts.
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../electron/data/export/columns.ts';
import type * as Parallel from '../../electron/data/export/csv-parallel.ts';
import { FileOut } from '../../electron/data/export/file-out.ts';
import { rowQuery } from '../../electron/data/export/rows.ts';
import { exportCalls } from '../../electron/data/export/run.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { call, fixture, type Fixture } from './fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// Inside the repository, so the bundle's require('better-sqlite3') finds node_modules.
const OUT = join(ROOT, 'test-artifacts', `bundle-${process.pid}`);

interface BundleOptions {
  common: Record<string, unknown>;
  metaUrl: Record<string, unknown>;
  exportWorker: { entryPoints: string[]; file: string };
}

describe('bundled parallel CSV export', () => {
  let f: Fixture;
  let bundled: typeof Parallel;
  beforeAll(async () => {
    isolatedKeyFile();
    f = await fixture('Bucharest PBX', 'Europe/Bucharest', Array.from({ length: 1500 }, (_, i) => call(`b${i}`, { startedAt: Date.UTC(2024, 5, 1) + i * 1000 })));
    const { build } = await import('esbuild');
    const o = (await import(pathToFileURL(join(ROOT, 'build', 'bundle-options.mjs')).href)) as BundleOptions;
    mkdirSync(OUT, { recursive: true });
    const quiet = { ...o.common, sourcemap: false, logLevel: 'silent' as const, packages: 'external' as const };
    // csv-parallel.ts stands in for the data host that includes it.
    await build({ ...quiet, ...o.metaUrl, entryPoints: ['electron/data/export/csv-parallel.ts'], outfile: join(OUT, 'host.cjs') });
    await build({ ...quiet, entryPoints: o.exportWorker.entryPoints, outfile: join(OUT, o.exportWorker.file) });
    bundled = createRequire(import.meta.url)(join(OUT, 'host.cjs')) as typeof Parallel;
    return () => f.ws.close();
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  async function run(file: string) {
    const db = new BetterSqlite3(f.ws.db.name, { readonly: true });
    const handle = await open(file, 'wx');
    const out = new FileOut(handle);
    try {
      const r = await bundled.writeCsvParallel(out, {
        dbFile: f.ws.db.name, db, sortCacheKiB: 2048, parts: 2, chunkRows: 100, columns: [...EXPORT_COLUMNS], zone: 'Europe/Bucharest',
        prepare: () => ({ total: 1500, query: rowQuery(db, { accounts: ['Bucharest PBX'] }, undefined, EXPORT_COLUMNS) }),
      });
      await out.flush();
      return r;
    } finally {
      await handle.close();
      db.close();
    }
  }

  it('writes on two threads the bytes of the single-thread export', async () => {
    const dir = tempDir();
    const one = await exportCalls(f.ws, { account: 'Bucharest PBX', format: 'csv', out: join(dir, 'one.csv'), parallel: { parts: 1 } });
    const r = await run(join(dir, 'bundled.csv'));
    expect(r).toEqual({ rows: 1500, parts: 2 });
    expect(readFileSync(join(dir, 'bundled.csv')).equals(readFileSync(one.file))).toBe(true);
  }, 20_000);

  it('looks for the worker beside the bundle', async () => {
    rmSync(join(OUT, 'export-worker.cjs'));
    await expect(run(join(tempDir(), 'x.csv'))).rejects.toThrow(`Cannot find module '${join(OUT, 'export-worker.cjs')}'`);
  }, 20_000);
});
