// A CLI sync killed with SIGKILL at several points in one folder, then `cdr-desk doctor` after each kill: the file
// passes integrity_check and foreign_key_check, both FTS indexes match the calls table, no call is duplicated,
// and a final run completes the account with exactly the provider's calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { runCli, runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

// Enough calls that a kill lands well before the end although pages commit in batches (sync/queue.ts BATCH_ROWS).
const CALLS = 6000;

describe('sync killed with SIGKILL repeatedly; doctor after each kill', { timeout: 240_000 }, () => {
  let sim: RunningSimulator;
  let dir: string;
  let ws: Workspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = { ...process.env, CDR_DESK_KEY_FILE: isolatedKeyFile() };
    sim = await startPbxCdrSimulator({ seed: 44, calls: CALLS });
    dir = tempDir();
    ws = openWorkspace(dir);
    await ws.accounts.add({ name: 'Killed', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
  });
  afterAll(async () => {
    ws.close();
    await sim.close();
  });

  const count = () => ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get() as number;
  const doctor = () => {
    const r = runCli(['--data-dir', dir, 'doctor', '--json'], env);
    return { status: r.status, stderr: r.stderr, report: JSON.parse(r.stdout) };
  };

  it('each kill leaves a sound file; the last run completes exactly', async () => {
    sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 60 } } });
    const seen: number[] = [];
    for (const killAt of [100, 2000, 4000]) {
      const { signal } = await runCliAsync(['--data-dir', dir, 'sync', '--json'], env, { killWhen: () => count() >= killAt });
      expect(signal).toBe('SIGKILL');
      const n = count();
      expect(n).toBeGreaterThanOrEqual(killAt);
      expect(n).toBeLessThan(CALLS);
      seen.push(n);
      const d = doctor();
      expect(d.stderr).toBe('');
      expect(d.status).toBe(0);
      expect(d.report).toMatchObject({ ok: true, integrity: 'ok', foreignKeyViolations: 0, fts: { cdrs_fts: 'ok', cdrs_phone: 'ok' } });
      expect(d.report.accounts[0].calls).toBe(n);
      expect(ws.db.prepare('SELECT count(DISTINCT call_id) FROM cdrs').pluck().get()).toBe(n); // no duplicate
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // each run resumed; none started over

    sim.faults.set({});
    // Async: the simulator answers from this process's event loop.
    const out = await runCliAsync(['--data-dir', dir, 'sync', '--json'], env, { onStderr: (d) => process.stderr.write(d) });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout).accounts[0]).toMatchObject({ error: null, inserted: CALLS - seen[seen.length - 1]!, updated: 0 });
    expect(count()).toBe(CALLS);
    const ids = (ws.db.prepare('SELECT call_id FROM cdrs ORDER BY call_id').pluck().all() as string[]);
    expect(ids).toEqual(sim.expected.map((c) => c.callId).sort());
    const d = doctor();
    expect(d.status).toBe(0);
    expect(d.report.accounts[0]).toMatchObject({ calls: CALLS, lastError: null });
    expect(d.report.accounts[0].lastSyncAt).not.toBeNull();
  });
});
