// A data folder holding `perAccount` synthetic calls for each of the four synthetic accounts, built once and
// reused between benchmark runs (building a million rows takes minutes; the numbers we want are query times).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace, type Workspace } from '../electron/data/workspace.ts';
import { seedWorkspace } from '../test/helpers/synthetic.ts';

export const BENCH_FROM = Date.UTC(2024, 0, 1);
export const BENCH_TO = Date.UTC(2025, 0, 1);

export async function benchWorkspace(dir: string, perAccount: number, log: (t: string) => void): Promise<Workspace> {
  mkdirSync(dir, { recursive: true });
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key'); // placeholder secrets only
  const fresh = !existsSync(join(dir, 'cdr-desk.sqlite'));
  const ws = openWorkspace(dir);
  const have = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
  if (!fresh && have === perAccount * 4) return ws;
  if (!fresh) throw new Error(`${dir} holds ${have} calls, not ${perAccount * 4}; remove it or choose another folder`);
  const t = performance.now();
  log(`building ${perAccount * 4} synthetic calls in ${dir} ...`);
  await seedWorkspace(ws, perAccount, BENCH_FROM, BENCH_TO, 1, true);
  ws.db.exec('ANALYZE');
  log(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return ws;
}

if (import.meta.main) {
  const dir = process.argv[2] ?? '/tmp/cdr-desk-bench-1m';
  const ws = await benchWorkspace(dir, Number(process.argv[3] ?? 250_000), (t) => console.error(t));
  ws.close();
}
