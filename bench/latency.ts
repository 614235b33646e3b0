// Sync at real latency (issue 20): every paged provider's simulator answers each request after 50 ms, then after
// 150 ms, as a provider 20-200 ms away does. The bare client (bench/wire-ceiling.ts: the same requests with the
// same concurrency as the adapter, parsed, nothing stored) and a first sync into an empty cache read the same
// calls; the ratio is the bare client's time over the sync's (goal >= 0.9). The floor: the CPU time of every
// thread of this process during the sync (the simulator's included: it runs here, where a provider's server would
// not) over the machine's cores. The sync cannot end sooner, so bare / floor bounds its ratio on this machine.
// Where a sync loses to the bare client: the time after its last answer from the provider (undici's diagnostics
// channel), when only the writer is left, committing what it has not caught up with and indexing the search tail.
// Each pair runs MEDIAN_RUNS times against the same simulator: on two cores shared by the sync, its writer and
// the simulator, one run's ratio moves with whatever else the machine does, so the run with the median ratio is
// the figure, and every run's ratio is kept beside it.
//   node bench/latency.ts [--scale 1] [--latency 50,150] [--provider pbx-cdr,tel4vn-v3] [--runs 3] [--json FILE]
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syncAccounts } from '../electron/data/sync/engine.ts';
import { openWorkspace } from '../electron/data/workspace.ts';
import type { ProviderId } from '../electron/shared/providers.ts';
import { simulatorWorker, type SimInfo } from './build-cache.ts';
import { everyRun, measure, MEDIAN_RUNS, medianRun, type Figure } from './measure.ts';
import { autodialerWireCeiling, pbxWireCeiling, tel4vnWireCeiling } from './wire-ceiling.ts';

export const LATENCY_GOAL = 0.9;
export const LATENCIES_MS = [50, 150] as const;

/** Calls per provider at scale 1: each run takes some seconds at 150 ms (autodialer-v4 asks once per call). */
const PAGED: readonly { provider: ProviderId; calls: number; bare: (info: SimInfo) => Promise<Figure> }[] = [
  { provider: 'pbx-cdr', calls: 20_000, bare: pbxWireCeiling },
  { provider: 'tel4vn-v3', calls: 50_000, bare: tel4vnWireCeiling },
  { provider: 'autodialer-v4', calls: 1_000, bare: autodialerWireCeiling },
];

export interface LatencyFigure {
  provider: ProviderId;
  latencyMs: number;
  calls: number;
  bareSeconds: number;
  syncSeconds: number;
  /** bareSeconds / syncSeconds: the sync's rate as a share of the bare client's. */
  ratio: number;
  /** CPU seconds of every thread of the process during the sync: main, writer, and the simulator serving it. */
  syncCpuSeconds: number;
  /** syncCpuSeconds over the machine's cores: no sync of these calls here ends sooner. */
  floorSeconds: number;
  /** The best ratio that floor allows: bareSeconds / floorSeconds, at most 1. */
  ratioBound: number;
  /** Seconds of the sync after the last answer from the provider came in (writing and indexing what was left). */
  afterLastAnswerSeconds: number;
  /** Every run's ratio, in the order run: this figure is the run with the median one. */
  ratios?: number[];
}

/** A first sync of the simulator's calls into an empty cache, timed, with every thread's CPU time and when its last answer came. */
async function firstSync(info: SimInfo): Promise<Figure & { afterLastAnswerSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cdr-bench-latency-'));
  const ws = openWorkspace(dir);
  try {
    await ws.accounts.add({ name: 'far away', provider: info.provider, baseUrl: info.baseUrl, timezone: info.timezone, secrets: info.secrets });
    let inserted = -1;
    // Every answer's body read to its end: the last one is the provider's last word in this sync.
    let lastAnswerAt = Number.NaN;
    const answered = () => void (lastAnswerAt = performance.now());
    diagnostics.subscribe('undici:request:trailers', answered);
    let endedAt = Number.NaN;
    try {
      const fig = await measure(info.calls, async () => {
        const [r] = await syncAccounts(ws, { accounts: ['far away'] });
        endedAt = performance.now();
        if (r!.error) throw new Error(`latency bench sync of ${info.provider}: ${r!.error}`);
        inserted = r!.inserted;
      }, true);
      if (inserted !== info.calls) throw new Error(`latency bench sync of ${info.provider} stored ${inserted} of ${info.calls} calls`);
      if (!Number.isFinite(lastAnswerAt)) throw new Error(`latency bench sync of ${info.provider}: no answer seen on undici's diagnostics channel`);
      return { ...fig, afterLastAnswerSeconds: (endedAt - lastAnswerAt) / 1000 };
    } finally {
      diagnostics.unsubscribe('undici:request:trailers', answered);
    }
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare client then a first sync, `runs` times against one simulator: the run with the median ratio, and every ratio. */
async function onePair(provider: (typeof PAGED)[number], calls: number, latencyMs: number, runs: number): Promise<LatencyFigure> {
  const sim = await simulatorWorker(provider.provider, calls, latencyMs);
  try {
    const { median, keys } = await medianRun(runs, async (): Promise<LatencyFigure> => {
      const bare = await provider.bare(sim.info);
      const sync = await firstSync(sim.info);
      const floorSeconds = sync.cpuSeconds / availableParallelism();
      return {
        provider: provider.provider, latencyMs, calls: sim.info.calls, bareSeconds: bare.seconds, syncSeconds: sync.seconds, ratio: bare.seconds / sync.seconds,
        syncCpuSeconds: sync.cpuSeconds, floorSeconds, ratioBound: Math.min(1, bare.seconds / floorSeconds), afterLastAnswerSeconds: sync.afterLastAnswerSeconds,
      };
    }, (f) => f.ratio);
    return { ...median, ratios: keys };
  } finally {
    await sim.stop();
  }
}

export async function runLatencyBench(
  scale = 1,
  latencies: readonly number[] = LATENCIES_MS,
  log: (line: string) => void = console.log,
  providers: readonly ProviderId[] = PAGED.map((p) => p.provider),
  runs = MEDIAN_RUNS,
): Promise<LatencyFigure[]> {
  const out: LatencyFigure[] = [];
  const keys = mkdtempSync(join(tmpdir(), 'cdr-bench-latency-keys-'));
  process.env.CDR_DESK_KEY_FILE ??= join(keys, 'secret-store.key'); // the simulators' made-up secrets only
  try {
    for (const latencyMs of latencies) {
      for (const p of PAGED.filter((x) => providers.includes(x.provider))) {
        const fig = await onePair(p, Math.max(100, Math.round(p.calls * scale)), latencyMs, runs);
        out.push(fig);
        log(`${p.provider} at ${latencyMs} ms: ${fig.calls.toLocaleString('en-US')} calls, bare client ${fig.bareSeconds.toFixed(1)} s, sync ${fig.syncSeconds.toFixed(1)} s, ratio ${fig.ratio.toFixed(2)}${everyRun(fig.ratios, (r) => r.toFixed(2))} (goal >= ${LATENCY_GOAL}), ${fig.afterLastAnswerSeconds.toFixed(2)} s of it after the last answer; CPU ${fig.syncCpuSeconds.toFixed(1)} s, floor ${fig.floorSeconds.toFixed(1)} s, ratio at most ${fig.ratioBound.toFixed(2)}`);
      }
    }
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, latency: { type: 'string' }, provider: { type: 'string' }, runs: { type: 'string' }, json: { type: 'string' } } });
  const latencies = values.latency ? values.latency.split(',').map(Number) : LATENCIES_MS;
  const providers = values.provider ? (values.provider.split(',') as ProviderId[]) : undefined;
  const unknown = providers?.filter((id) => !PAGED.some((p) => p.provider === id)) ?? [];
  if (unknown.length) throw new Error(`bench/latency.ts: --provider ${unknown.join(',')} is not one of ${PAGED.map((p) => p.provider).join(', ')}`);
  const runs = Number(values.runs ?? MEDIAN_RUNS);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench/latency.ts: --runs ${values.runs} is not a whole number of runs, 1 or more`);
  const figures = await runLatencyBench(Number(values.scale ?? 1), latencies, undefined, providers, runs);
  if (values.json) writeFileSync(values.json, JSON.stringify(figures));
}
