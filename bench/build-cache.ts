// The benchmark cache (issue 10): a data folder filled the way a user's is, by syncing from the provider
// simulators on loopback, and the sync figures measured while it fills.
//   node bench/build-cache.ts [DIR] [--scale 0.1]     (default /tmp/cdr-desk-bench-sync, full size)
// Each simulator runs in a worker thread of its own (serving pages must not share the sync's event loop) and
// generates its calls before its account syncs; its CPU is taken out of the sync's. Accounts sync one at a time so
// each figure is that provider's alone.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SIMULATORS } from '../electron/data/providers/simulators.ts';
import { syncAccounts } from '../electron/data/sync/engine.ts';
import { openWorkspace, type Workspace } from '../electron/data/workspace.ts';
import type { ProviderId } from '../electron/shared/providers.ts';
import { measure, type Figure } from './measure.ts';

export interface BenchAccount {
  name: string;
  provider: ProviderId;
  calls: number;
}

/** The export benchmark reads the first account: a million calls in one account. */
export const BENCH_ACCOUNTS: readonly BenchAccount[] = [
  { name: 'Bucharest PBX', provider: 'pbx-cdr', calls: 1_000_000 },
  { name: 'Saigon Autocall', provider: 'tel4vn-v3', calls: 100_000 },
  // One reports/info request per call (the documented enrichment): 50,000 keep the whole run under 10 minutes.
  { name: 'Tehran Dialer', provider: 'autodialer-v4', calls: 50_000 },
  { name: 'Pune Voice', provider: 'sarv-voice', calls: 100_000 },
];
/** Calls fall in 2024, so month and day windows in the search benchmark are fixed. */
export const BENCH_SPAN = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) };
const SEED = 10;

/** What a simulator worker tells the main thread once it is serving. */
export interface SimInfo {
  provider: ProviderId;
  baseUrl: string;
  secrets: Record<string, string>;
  timezone: string;
  /** By-id providers: the ids a user would import (a few unknown to the provider among them). */
  ids: string[];
  calls: number;
}

export interface RunningSimWorker {
  info: SimInfo;
  /** Requests the simulator has answered so far. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** Every simulator thread not yet stopped, serving or still generating its calls. */
const simThreads = new Set<Worker>();

/** CPU seconds all simulator threads have used so far (taken out of the sync figures). */
export async function simulatorsCpuSeconds(): Promise<number> {
  const usage = await Promise.all([...simThreads].map((w) => w.cpuUsage().catch(() => ({ user: 0, system: 0 }))));
  return usage.reduce((s, u) => s + (u.user + u.system) / 1e6, 0);
}

/** Starts one simulator in a worker thread; resolves once it serves. */
export function simulatorWorker(provider: ProviderId, calls: number, latencyMs = 0): Promise<RunningSimWorker> {
  // A million generated calls with their JSON take ~4.5 GB: more than a worker's default heap.
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { provider, calls, latencyMs },
    resourceLimits: { maxOldGenerationSizeMb: 12_000 },
  });
  simThreads.add(worker);
  worker.once('exit', () => simThreads.delete(worker));
  return new Promise((resolve, reject) => {
    worker.once('message', (info: SimInfo) =>
      resolve({
        info,
        requests: () =>
          new Promise<number>((answer) => {
            worker.once('message', (m: { requests: number }) => answer(m.requests));
            worker.postMessage('requests');
          }),
        stop: async () => {
          simThreads.delete(worker);
          await worker.terminate();
        },
      }),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${provider} simulator worker exited with ${code}`)));
  });
}

/** CPU is every thread's of this process but the simulators' (the sync engine's and its writer thread's). */
export interface SyncFigure extends Figure {
  account: string;
  provider: ProviderId;
  listing: 'paged' | 'by-id';
}

export interface BuiltCache {
  dir: string;
  calls: number;
  sync: SyncFigure[];
  /** Simulators still serving (for the wire-ceiling baseline); the caller stops them. */
  sims: Map<ProviderId, RunningSimWorker>;
}

export function scaled(scale: number): BenchAccount[] {
  return BENCH_ACCOUNTS.map((a) => ({ ...a, calls: Math.max(100, Math.round(a.calls * scale)) }));
}

/**
 * Adds account `name` on the simulator to `ws` and times its first sync of every call the simulator serves. CPU:
 * every thread of this process but the simulators' (a provider's server would not run here).
 */
export async function timedFirstSync(ws: Workspace, name: string, info: SimInfo): Promise<SyncFigure> {
  await ws.accounts.add({ name, provider: info.provider, baseUrl: info.baseUrl, timezone: info.timezone, secrets: info.secrets });
  let result: Awaited<ReturnType<typeof syncAccounts>> = [];
  const simCpu0 = await simulatorsCpuSeconds();
  const all = await measure(info.calls, async () => {
    result = await syncAccounts(ws, { accounts: [name], ids: info.ids });
  }, true);
  const cpuSeconds = all.cpuSeconds - ((await simulatorsCpuSeconds()) - simCpu0);
  const r = result[0]!;
  if (r.error || r.inserted !== info.calls) throw new Error(`bench sync of ${name} went wrong: ${JSON.stringify(r)}`);
  return { ...all, cpuSeconds, perCpuSec: all.n / cpuSeconds, account: name, provider: info.provider, listing: info.ids.length ? 'by-id' : 'paged' };
}

/** Builds the cache in `dir` (emptied first) and returns the sync figures, with the simulators still running. */
export async function buildCache(dir: string, accounts: readonly BenchAccount[], log: (line: string) => void): Promise<BuiltCache> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key'); // the simulators' made-up secrets only
  const sims = new Map<ProviderId, RunningSimWorker>();
  const ws = openWorkspace(dir);
  const figures: SyncFigure[] = [];
  try {
    // Each simulator generates its calls before its account syncs, not during another's sync: generating the
    // million-call one took a core for about a minute, and the smaller accounts' figures were taken on one core.
    const order = [...accounts].sort((x, y) => x.calls - y.calls);
    for (const a of order) {
      const t0 = performance.now();
      const sim = await simulatorWorker(a.provider, a.calls);
      sims.set(a.provider, sim);
      const { info } = sim;
      log(`${a.provider} simulator serving ${info.calls.toLocaleString('en-US')} calls (generated in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      const fig = await timedFirstSync(ws, a.name, info);
      figures.push(fig);
      log(`synced ${a.name} (${a.provider}, ${fig.listing}): ${fig.n.toLocaleString('en-US')} calls in ${fig.seconds.toFixed(1)} s = ${Math.round(fig.perSec).toLocaleString('en-US')}/s (${Math.round(fig.perCpuSec).toLocaleString('en-US')} per CPU-second of the sync's threads)`);
    }
    const calls = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
    ws.db.exec('ANALYZE');
    return { dir, calls, sync: figures, sims };
  } catch (err) {
    await Promise.all([...sims.values()].map((s) => s.stop()));
    throw err;
  } finally {
    ws.close();
  }
}

/** Builds the full-size cache in `dir` unless it already holds one (benchmarks run alone reuse it). */
export async function ensureCache(dir: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(dir, 'cdr-desk.sqlite'))) return;
  const built = await buildCache(dir, BENCH_ACCOUNTS, log);
  await Promise.all([...built.sims.values()].map((sim) => sim.stop()));
}

if (!isMainThread && workerData && typeof (workerData as { provider?: unknown }).provider === 'string') {
  const { provider, calls, latencyMs } = workerData as { provider: ProviderId; calls: number; latencyMs: number };
  const sim = await SIMULATORS[provider]({ seed: SEED, calls, latencyMs, ...BENCH_SPAN });
  const info: SimInfo = { provider, baseUrl: sim.baseUrl, secrets: sim.secrets, timezone: sim.timezone, ids: sim.ids, calls: sim.expected.length };
  parentPort!.postMessage(info);
  parentPort!.on('message', (m) => {
    if (m === 'requests') parentPort!.postMessage({ requests: sim.faults.requests });
  });
} else if (isMainThread && import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { scale: { type: 'string' } } });
  const dir = positionals[0] ?? '/tmp/cdr-desk-bench-sync';
  const built = await buildCache(dir, scaled(Number(values.scale ?? 1)), (l) => console.log(l));
  console.log(`${built.calls.toLocaleString('en-US')} calls cached in ${dir}`);
  await Promise.all([...built.sims.values()].map((s) => s.stop()));
}
