// CPU per call of a large sync, thread by thread (issue 20): the pbx-cdr simulator's calls synced into an empty
// cache, with the CPU time of the main thread, of the sync writer's thread and of the rest of the process (GC
// helpers, V8 compiler threads), per call; the simulator's own thread is left out, but not the GC helpers working
// for its heap (the process's helpers serve every thread). Thread CPU time, so the figures hold better than the
// wall rate on a busy machine; compare runs taken one after another, several of each.
//   node bench/sync-cpu.ts [--calls 200000] [--runs 3] [--dir /tmp/cdr-desk-sync-cpu]
import { mkdirSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import workerThreads from 'node:worker_threads';

// The writer's thread is private to SyncWriter: every worker started from here on is recorded, and the writer's
// CPU time sampled often (a thread that has ended answers no more), keeping the last answer.
const Original = workerThreads.Worker;
const writers: { last: number }[] = [];
class Recorded extends Original {
  constructor(...args: ConstructorParameters<typeof Original>) {
    super(...args);
    if (!String(args[0]).includes('writer-worker')) return;
    const rec = { last: 0 };
    writers.push(rec);
    const timer = setInterval(() => {
      this.cpuUsage().then((u) => (rec.last = (u.user + u.system) / 1e6), () => undefined);
    }, 10);
    this.once('exit', () => clearInterval(timer));
  }
}
(workerThreads as { Worker: typeof Original }).Worker = Recorded;
syncBuiltinESMExports();

const { simulatorWorker, simulatorsCpuSeconds } = await import('./build-cache.ts');
const { syncAccounts } = await import('../electron/data/sync/engine.ts');
const { openWorkspace } = await import('../electron/data/workspace.ts');

const { values } = parseArgs({ options: { calls: { type: 'string' }, runs: { type: 'string' }, dir: { type: 'string' } } });
const calls = Number(values.calls ?? 200_000);
const runs = Number(values.runs ?? 3);
const dir = values.dir ?? '/tmp/cdr-desk-sync-cpu';

const sim = await simulatorWorker('pbx-cdr', calls);
const { info } = sim;
process.env.CDR_DESK_KEY_FILE ??= join(dir, 'secret-store.key');
const us = (s: number) => ((s * 1e6) / info.calls).toFixed(1);
try {
  for (let run = 1; run <= runs; run++) {
    const at = join(dir, `run-${run}`);
    rmSync(at, { recursive: true, force: true });
    mkdirSync(at, { recursive: true });
    const ws = openWorkspace(at);
    await ws.accounts.add({ name: 'PBX', provider: 'pbx-cdr', baseUrl: info.baseUrl, timezone: info.timezone, secrets: info.secrets });
    const n0 = writers.length;
    const sim0 = await simulatorsCpuSeconds();
    const all0 = process.cpuUsage();
    const main0 = process.threadCpuUsage();
    const t0 = performance.now();
    const [r] = await syncAccounts(ws, { accounts: ['PBX'] });
    const wall = (performance.now() - t0) / 1000;
    const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const main = cpu(process.threadCpuUsage(main0));
    const all = cpu(process.cpuUsage(all0)) - ((await simulatorsCpuSeconds()) - sim0);
    const writer = writers.slice(n0).reduce((s, w) => s + w.last, 0);
    if (r!.error || r!.inserted !== info.calls) throw new Error(`sync went wrong: ${JSON.stringify(r)}`);
    const stored = ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get();
    ws.close();
    rmSync(at, { recursive: true, force: true });
    console.log(
      `run ${run}: ${info.calls} calls (${stored} stored) in ${wall.toFixed(2)} s = ${Math.round(info.calls / wall)}/s; ` +
        `CPU µs per call: all ${us(all)} = main ${us(main)} + writer ${us(writer)} + other ${us(all - main - writer)}`,
    );
  }
} finally {
  await sim.stop();
}
