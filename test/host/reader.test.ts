// Long reads run off the data host's message thread. The cache is made big enough (real synthetic calls, added
// until one read of the calls takes at least 600 ms in line), then that read runs through the
// dispatcher while a sync job is running: the message thread must answer cancel, and deliver the job's end,
// within 50 ms, and never stall 50 ms, while the read is still going.
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Reply } from '../../electron/data/host/dispatcher.ts';
import type * as ReaderModule from '../../electron/data/host/reader.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { seedWorkspace, SYNTHETIC_ACCOUNTS, syntheticCdrs, writeSynthetic } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const FROM = Date.UTC(2024, 8, 1);
const TO = Date.UTC(2024, 10, 1);
/**
 * The heatmap of a text search in a zone none of the synthetic accounts has: read from the calls themselves, not
 * from the totals, and the slowest of the read channels per call.
 */
const MATRIX = { filter: { text: 'a' }, tz: 'America/Lima' };
/** Calls added per account in each round, until the read is slow enough. */
const ROUND = 25_000;

/** The longest the thread went without running a 5 ms timer, minus those 5 ms: how long it was held. */
function stallProbe(): { stop(): Promise<number> } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 5);
    last = now;
  }, 5);
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 20)); // a stall just before stop is seen by the next tick
      clearInterval(timer);
      return max;
    },
  };
}

describe('reads off the host message thread', { timeout: 60_000 }, () => {
  let ws: Workspace;
  let sim: RunningSimulator;
  let inlineMs = 0;

  beforeAll(async () => {
    isolatedKeyFile();
    ws = openWorkspace(tempDir());
    const accounts = await seedWorkspace(ws, ROUND, FROM, TO);
    // More real synthetic calls, round after round, until the read takes 600 ms in line.
    const inline = createDispatcher(ws, { reads: 'inline' });
    for (let round = 2; round <= 24; round++) {
      const t0 = performance.now();
      const reply = await inline.dispatch('summary.matrix', MATRIX);
      inlineMs = performance.now() - t0;
      expect(reply.ok).toBe(true);
      if (inlineMs >= 600) break; // a margin: the same read is faster when the machine is less busy
      for (const [i, a] of SYNTHETIC_ACCOUNTS.entries()) {
        const rows = syntheticCdrs({ script: a.script, timezone: a.timezone, count: ROUND, seed: round * 100 + i, from: FROM, to: TO, idPrefix: `r${round}` });
        await inline.writer.path.write(() => writeSynthetic(ws, accounts.get(a.name)!, rows)); // the host's one write path
      }
    }
    await inline.close();
    sim = await SIMULATORS['pbx-cdr']({ seed: 3, calls: 50, faults: { every: { n: 1, fault: { kind: 'hang' } } } });
    await ws.accounts.add({ name: 'Hanging PBX', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
  }, 230_000);
  afterAll(async () => {
    ws?.close();
    await sim?.close();
  });

  it('the same read in line took 600 ms or more, and holds the thread all that time (the measure sees a blocked thread)', async () => {
    expect(inlineMs).toBeGreaterThanOrEqual(600);
    const inline = createDispatcher(ws, { reads: 'inline' });
    const probe = stallProbe();
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await inline.dispatch('summary.matrix', MATRIX);
    const readMs = performance.now() - t0;
    const stall = await probe.stop();
    await inline.close();
    // The whole read held the thread (how long it takes varies with the machine's load).
    expect(stall).toBeGreaterThanOrEqual(readMs * 0.8);
    expect(readMs).toBeGreaterThanOrEqual(250);
  });

  // Retried: on a machine this loaded the OS itself may hold the thread past 50 ms once; a read in line holds it
  // 500 ms and more on every try (the test above), so no retry hides that.
  it('on the read thread: cancel is answered and the job ends within 50 ms while the 500 ms read runs', { retry: 2 }, async () => {
    const events: { event: string; payload: unknown; at: number }[] = [];
    const host = createDispatcher(ws, { emit: (event, payload) => events.push({ event, payload, at: performance.now() }) });
    try {
      // Warm the thread (start-up and schema reading are not what is measured).
      expect((await host.dispatch('summary.matrix', { filter: {}, tz: 'UTC' })).ok).toBe(true);
      const started = (await host.dispatch('sync.start', { accounts: ['Hanging PBX'] })) as Extract<Reply, { ok: true }>;
      expect(started.ok).toBe(true);
      const { jobId } = started.result as { jobId: string };
      await new Promise((r) => setTimeout(r, 100)); // its first request is now hanging at the simulator

      // What the machine does to this thread with no read at all, measured as long as the read will take: under a
      // full parallel test run on a small shared machine, the OS alone holds a thread for tens of ms at times.
      const idle = stallProbe();
      await new Promise((r) => setTimeout(r, inlineMs));
      const idleStall = await idle.stop();
      const probe = stallProbe();
      const t0 = performance.now();
      let readDone = 0;
      const read = host.dispatch('summary.matrix', MATRIX).then((r) => ((readDone = performance.now()), r));
      await new Promise((r) => setTimeout(r, 150)); // well inside the read
      const asked = performance.now();
      const cancel = await host.dispatch('sync.cancel', { jobId });
      const answered = performance.now();
      expect(cancel).toEqual({ ok: true, result: null });
      while (!events.some((e) => e.event === 'job.done') && performance.now() - asked < 5_000) await new Promise((r) => setTimeout(r, 1));
      const done = events.find((e) => e.event === 'job.done');
      const reply = await read;
      const stall = await probe.stop();

      expect(reply.ok).toBe(true);
      // The read really was long, and still running when cancel was answered and the job ended.
      expect(readDone - t0).toBeGreaterThanOrEqual(250);
      expect(done).toBeDefined();
      expect(done!.at).toBeLessThan(readDone);
      const figures = `read ${Math.round(readDone - t0)} ms, cancel answered in ${(answered - asked).toFixed(1)} ms, job ended ${(done!.at - asked).toFixed(1)} ms after cancel, longest stall ${stall.toFixed(1)} ms (idle: ${idleStall.toFixed(1)} ms)`;
      expect(answered - asked, figures).toBeLessThan(50);
      expect(done!.at - asked, figures).toBeLessThan(50);
      expect((done!.payload as { cancelled: boolean }).cancelled).toBe(true);
      // No stall of the message thread while the read ran: under 50 ms, or no worse than the same thread idle
      // (the read in line stalls it for the whole read, 600 ms and more: the test above).
      expect(stall < 50 || stall < idleStall + 25, figures).toBe(true);
      // The same answer as in line.
      const inline = createDispatcher(ws, { reads: 'inline' });
      expect(await inline.dispatch('summary.matrix', MATRIX)).toEqual(reply);
      await inline.close();
    } finally {
      await host.close();
    }
  });

  it('an error in a read comes back as the same one-line error', async () => {
    const host = createDispatcher(ws);
    try {
      const bad = { filter: { accounts: ['No Such Account'] }, by: 'status' };
      const threaded = await host.dispatch('summary.get', bad);
      const inline = createDispatcher(ws, { reads: 'inline' });
      expect(threaded.ok).toBe(false);
      expect(threaded).toEqual(await inline.dispatch('summary.get', bad));
      await inline.close();
    } finally {
      await host.close();
    }
  });
});

describe('bundled read thread', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  // Inside the repository, so the bundle's require('better-sqlite3') finds node_modules.
  const OUT = join(ROOT, 'test-artifacts', `reader-bundle-${process.pid}`);
  let bundled: typeof ReaderModule;
  beforeAll(async () => {
    const { build } = await import('esbuild');
    const o = (await import(pathToFileURL(join(ROOT, 'build', 'bundle-options.mjs')).href)) as {
      common: Record<string, unknown>; metaUrl: Record<string, unknown>; readWorker: { entryPoints: string[]; file: string };
    };
    mkdirSync(OUT, { recursive: true });
    const quiet = { ...o.common, sourcemap: false, logLevel: 'silent' as const, packages: 'external' as const };
    // host/reader.ts stands in for the data host that includes it.
    await build({ ...quiet, ...o.metaUrl, entryPoints: ['electron/data/host/reader.ts'], outfile: join(OUT, 'host.cjs') });
    await build({ ...quiet, entryPoints: o.readWorker.entryPoints, outfile: join(OUT, o.readWorker.file) });
    bundled = createRequire(import.meta.url)(join(OUT, 'host.cjs')) as typeof ReaderModule;
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds its thread beside the bundle and reads there', async () => {
    isolatedKeyFile();
    const ws = openWorkspace(tempDir());
    try {
      await seedWorkspace(ws, 50, FROM, TO);
      const reader = bundled.createReader(ws.db, 'thread');
      const total = (await reader.run('search.query', { filter: {}, part: 'total', limit: 1 })) as { total: number };
      expect(total.total).toBe(200);
      await reader.close();
    } finally {
      ws.close();
    }
  }, 20_000);
});

describe('one sync writer for the life of the host', { timeout: 60_000 }, () => {
  it('every sync the host runs commits through the same writer thread, started once', async () => {
    isolatedKeyFile();
    const ws = openWorkspace(tempDir());
    const sim = await SIMULATORS['tel4vn-v3']({ seed: 5, calls: 60 });
    const done: unknown[] = [];
    const host = createDispatcher(ws, { writer: 'thread', emit: (event, payload) => event === 'job.done' && done.push(payload) });
    try {
      for (const name of ['First', 'Second']) {
        expect((await host.dispatch('accounts.add', { name, provider: 'tel4vn-v3', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets })).ok).toBe(true);
        const before = done.length;
        expect((await host.dispatch('sync.start', { accounts: [name] })).ok).toBe(true);
        while (done.length === before) await new Promise((r) => setTimeout(r, 5));
        expect(done.at(-1)).toMatchObject({ ok: true, error: null });
        const count = ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(ws.accounts.get(name).id);
        expect(count).toBe(sim.expected.length);
      }
      // Both syncs committed on the thread, and it is the same thread: started once, still there after each sync.
      expect(host.writer.threaded).toBe(true);
      expect(host.writer.threadsStarted).toBe(1);
    } finally {
      await host.close();
      ws.close();
      await sim.close();
    }
  });
});
