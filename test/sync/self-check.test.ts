// The sync's own check with real simulators and a real SQLite file: the verdict on the result, the run and the
// account; a by-id id left without an answer (answered with another call's record) makes the sync incomplete (an
// error naming the account and the id, the rest stays cached, `cdr-desk sync` exits 1); every provider's clean sync is never incomplete; the coverage
// ledger records what each listing sync covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import { startSarvVoiceSim } from '../../electron/data/providers/sarv-voice/simulator.ts';
import { startVoiceotpV2Sim } from '../../electron/data/providers/voiceotp-v2/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { accountCoverage, MAX_COVERAGE_DAYS } from '../../electron/data/sync/coverage.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { cachedCalls } from '../helpers/provider-oracle.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const http = { backoffMs: 5, maxBackoffMs: 50, retries: 2 };

const lastRun = (fx: { ws: { db: import('better-sqlite3').Database } }, account: string) =>
  fx.ws.db
    .prepare(
      `SELECT r.verdict, r.verdict_text AS text, r.error, r.covered_from AS coveredFrom, r.covered_to AS coveredTo, r.started_at AS startedAt
       FROM sync_runs r JOIN accounts a ON a.id = r.account_id WHERE a.name = ? ORDER BY r.id DESC LIMIT 1`,
    )
    .get(account) as { verdict: string; text: string; error: string | null; coveredFrom: number | null; coveredTo: number | null; startedAt: number };

describe('by id: the ids asked against the ids answered (sarv-voice)', () => {
  // 100 ids a request: no batch-size refusal uses up a queued fault.
  const fx = simulatorWorkspace(() => startSarvVoiceSim({ seed: 41, calls: 30, maxIdsPerCall: 100 }));
  const known = () => fx.sim.ids.filter((id) => !fx.sim.unknownIds.includes(id));

  it('complete when every id got a call or a "not found", unknown ids included; recorded on the run and the account', async () => {
    await fx.addAccount('Clean');
    const [r] = await syncAccounts(fx.ws, { accounts: ['Clean'], ids: fx.sim.ids, http });
    expect(r).toMatchObject({ error: null, complete: true, notFound: fx.sim.unknownIds.length, fetched: 30 });
    expect(r!.verdict).toEqual({ status: 'complete', text: `all ${fx.sim.ids.length} ids asked answered` });
    expect(lastRun(fx, 'Clean')).toMatchObject({ verdict: 'complete', text: r!.verdict.text, error: null, coveredTo: null });
    expect(fx.ws.accounts.get('Clean').lastVerdict).toEqual(r!.verdict);
    expect(fx.ws.accounts.views().find((v) => v.name === 'Clean')!.lastVerdict).toEqual(r!.verdict);
  });

  it('an id left out of a batch answer is asked again (alone) and the sync is complete', async () => {
    await fx.addAccount('Left out');
    const ids = known();
    fx.sim.faults.enqueue({ kind: 'mangle', mode: 'missing', field: [...ids].sort()[3]! }); // pending ids are asked in id order
    const [r] = await syncAccounts(fx.ws, { accounts: ['Left out'], ids, http });
    expect(fx.sim.faults.served.at(-1)).toMatchObject({ kind: 'mangle', mode: 'missing' });
    expect(r).toMatchObject({ complete: true, error: null, fetched: ids.length });
    expect(cachedCalls(fx.ws, 'Left out').map((c) => c.callId).sort()).toEqual([...ids].sort());
  });
});

describe('by id: an id answered with another call (voiceotp-v2)', () => {
  const fx = simulatorWorkspace(() => startVoiceotpV2Sim({ seed: 42, calls: 24 }), ['OTP']);

  it('is incomplete: an error naming the account and the id; the rest stays cached; the next sync asks it again', async () => {
    const ids = fx.sim.ids.filter((id) => !fx.sim.unknownIds.includes(id));
    // The first request answered gets the record of a call that was not asked for.
    fx.sim.faults.enqueue({ kind: 'mangle', mode: 'value', field: 'id', value: 'a-call-never-asked' });
    const [r] = await syncAccounts(fx.ws, { ids, http });
    const wrong = /got no answer \((.+?)\)/.exec(r!.verdict.text)?.[1];
    expect(ids).toContain(wrong);
    expect(r).toMatchObject({ complete: false, fetched: ids.length - 1, inserted: ids.length - 1 });
    expect(r!.verdict).toEqual({
      status: 'incomplete',
      text: `1 of ${ids.length} ids asked got no answer (${wrong}); call id ${wrong} was answered with the record of call a-call-never-asked`,
    });
    expect(r!.error).toBe(`account "OTP": sync incomplete: ${r!.verdict.text}`);
    expect(cachedCalls(fx.ws, 'OTP').map((c) => c.callId).sort()).toEqual(ids.filter((id) => id !== wrong).sort());
    expect(fx.ws.accounts.get('OTP')).toMatchObject({ lastError: r!.error, lastVerdict: r!.verdict });
    expect(lastRun(fx, 'OTP')).toMatchObject({ verdict: 'incomplete', error: r!.error, coveredTo: null });

    // Asked again: the unanswered id, and those whose call was not final yet.
    const [again] = await syncAccounts(fx.ws, { http });
    expect(again).toMatchObject({ complete: true, error: null, inserted: 1 });
    expect(fx.ws.accounts.get('OTP')).toMatchObject({ lastError: null, lastVerdict: { status: 'complete' } });
  });
});

describe('cdr-desk sync: an incomplete sync is a failure', () => {
  let sim: RunningSimulator;
  let dataDir: string;
  let env: Record<string, string>;
  let ids: string[];
  beforeAll(async () => {
    env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
    sim = await startVoiceotpV2Sim({ seed: 43, calls: 12 });
    dataDir = tempDir();
    const ws = openWorkspace(dataDir);
    await ws.accounts.add({ name: 'OTP', provider: 'voiceotp-v2', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
    ws.close();
    ids = sim.ids.filter((id) => !sim.unknownIds.includes(id));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dataDir}/ids.txt`, ids.join('\n'));
  });
  afterAll(() => sim?.close());

  it('exits 1, --json gives complete false and the shortfall as the error; doctor reports it', async () => {
    sim.faults.enqueue({ kind: 'mangle', mode: 'value', field: 'id', value: 'a-call-never-asked' });
    const r = await runCliAsync(['--data-dir', dataDir, 'sync', 'OTP', '--ids', `${dataDir}/ids.txt`, '--json'], env);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    const wrong = /got no answer \((.+?)\)/.exec(out.accounts[0].error)?.[1];
    expect(ids).toContain(wrong);
    const error = `account "OTP": sync incomplete: 1 of ${ids.length} ids asked got no answer (${wrong}); call id ${wrong} was answered with the record of call a-call-never-asked`;
    expect(out).toEqual({
      accounts: [{ name: 'OTP', fetched: ids.length - 1, inserted: ids.length - 1, updated: 0, notFound: 0, complete: false, error }],
    });
    expect(r.stderr).toBe(`cdr-desk: ${error}\n`);

    const doctor = await runCliAsync(['--data-dir', dataDir, 'doctor', '--json'], env);
    const report = JSON.parse(doctor.stdout);
    expect(report.accounts[0].lastVerdict).toEqual({ status: 'incomplete', text: error.replace('account "OTP": sync incomplete: ', '') });
    expect(report.problems).toContain(`account "OTP": last sync failed: ${error}`);

    const fixed = await runCliAsync(['--data-dir', dataDir, 'sync', 'OTP'], env);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/^OTP: (\d+) fetched, 1 new, 0 updated; complete: all \1 ids? asked answered\n$/);
    const text = (await runCliAsync(['--data-dir', dataDir, 'doctor'], env)).stdout;
    expect(text).toMatch(/^ {2}OTP \(voiceotp-v2\): \d+ calls; .*; last check complete: all \d+ ids? asked answered$/m);
  });
});

/** A clean sync's verdict per provider: autodialer-v4 states no count for the records it lists, so it cannot be proven. */
const CLEAN: Record<ProviderId, 'complete' | 'unverified'> = {
  'autodialer-v4': 'unverified', 'voiceotp-v2': 'complete', 'pbx-cdr': 'complete', 'tel4vn-v3': 'complete', 'sarv-voice': 'complete',
};

describe("every provider's clean sync is complete (unverified where the adapter states no count)", () => {
  for (const id of Object.keys(PROVIDERS) as ProviderId[]) {
    describe(id, () => {
      const fx = simulatorWorkspace(() => SIMULATORS[id]!({ seed: 7, calls: 150 }), ['Clean']);
      it(`${CLEAN[id]}, the same on the run and the account`, async () => {
        const byId = PROVIDERS[id].listing === 'by-id';
        const [r] = await syncAccounts(fx.ws, { http, ids: byId ? fx.sim.ids : undefined });
        expect(r!.error).toBeNull();
        expect(r!.verdict.status).toBe(CLEAN[id]);
        expect(r!.complete).toBe(r!.verdict.status === 'complete' ? true : null);
        expect(lastRun(fx, 'Clean')).toMatchObject({ verdict: r!.verdict.status, text: r!.verdict.text });
        expect(fx.ws.accounts.get('Clean').lastVerdict).toEqual(r!.verdict);
        if (byId) expect(accountCoverage(fx.ws, 'Clean')).toMatchObject({ byTime: false, ranges: [] });
      });
    });
  }
});

describe('coverage ledger (pbx-cdr)', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 9, calls: 200 }), ['PBX']);
  const DAY = '2024-10-15';

  it('a failed sync leaves a gap over what it should have covered; re-pulling a day fills that day', async () => {
    fx.sim.faults.set({ every: { n: 1, fault: { kind: 'status', status: 500 } } }); // the provider is down
    const [failed] = await syncAccounts(fx.ws, { http });
    fx.sim.faults.set({});
    expect(failed).toMatchObject({ complete: false, verdict: { status: 'incomplete' } });
    expect(failed!.verdict.text).toMatch(/^the sync stopped before its end: .*500/);
    const run1 = lastRun(fx, 'PBX');
    expect(run1).toMatchObject({ verdict: 'incomplete', coveredFrom: null, coveredTo: run1.startedAt }); // from the beginning: no cursor yet

    const before = accountCoverage(fx.ws, 'PBX');
    expect(before.byTime).toBe(true);
    // No calls cached and no finite edge before the run's start: the days listed are today's only.
    expect(before.ranges).toEqual([{ from: null, to: new Date(run1.startedAt).toISOString(), status: 'gap', syncedAt: expect.any(String) }]);
    expect(before.days.map((d) => d.status)).toEqual(['gap']);

    const [day] = await syncAccounts(fx.ws, { http, from: DAY, to: DAY });
    expect(day!.error).toBeNull();
    const run2 = lastRun(fx, 'PBX');
    expect(run2.coveredTo! - run2.coveredFrom!).toBe(24 * 3_600_000); // Bucharest, no DST change that day
    const cov = accountCoverage(fx.ws, 'PBX', { from: '2024-10-14', to: '2024-10-16' });
    const filled = day!.verdict.status === 'complete' ? 'complete' : 'unverified';
    expect(cov.days.map((d) => [d.day, d.status])).toEqual([['2024-10-14', 'gap'], [DAY, filled], ['2024-10-16', 'gap']]);
    expect(cov.days[1]!.calls).toBe(fx.sim.expected.filter((c) => c.startedAt && formatDay(c.startedAt) === DAY).length);
    expect(cov.days[1]!.calls).toBeGreaterThan(0);
    expect(cov.days[0]!.calls).toBe(0); // not synced yet

    // The same ledger from the command line.
    const json = await runCliAsync(['--data-dir', fx.ws.dataDir, 'accounts', 'coverage', 'PBX', '--from', '2024-10-14', '--to', '2024-10-16', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(cov);
    const text = await runCliAsync(['--data-dir', fx.ws.dataDir, 'accounts', 'coverage', 'PBX', '--from', '2024-10-14', '--to', '2024-10-16']);
    expect(text.stdout.split('\n').at(-2)).toBe(`days 2024-10-14..2024-10-16 (Europe/Bucharest): ${filled === 'complete' ? 1 : 0} complete, ${filled === 'complete' ? 0 : 1} unverified, 2 gaps, 0 never synced`);
    const bad = await runCliAsync(['--data-dir', fx.ws.dataDir, 'accounts', 'coverage', 'PBX', '--from', '14.10.2024']);
    expect(bad).toMatchObject({ status: 1, stderr: 'cdr-desk: account "PBX": --from "14.10.2024" is not a day (YYYY-MM-DD)\n' });
  });

  it('a regular sync then covers from the beginning (no cursor yet) up to its start; the next one from where the last began', async () => {
    const [all] = await syncAccounts(fx.ws, { http });
    expect(all!.error).toBeNull();
    const run = lastRun(fx, 'PBX');
    expect(run).toMatchObject({ coveredFrom: null, coveredTo: run.startedAt });
    const [next] = await syncAccounts(fx.ws, { http });
    expect(next!.error).toBeNull();
    expect(lastRun(fx, 'PBX')).toMatchObject({ coveredFrom: run.startedAt });
    const status = all!.verdict.status === 'complete' ? 'complete' : 'unverified';
    const cov = accountCoverage(fx.ws, 'PBX', { from: '2024-10-01', to: '2024-10-31' });
    expect(new Set(cov.days.map((d) => d.status))).toEqual(new Set([status]));
    expect(cov.days.reduce((n, d) => n + d.calls, 0)).toBe(fx.sim.expected.length);
    const whole = accountCoverage(fx.ws, 'PBX');
    expect(whole.ranges).toEqual([{ from: null, to: new Date(lastRun(fx, 'PBX').startedAt).toISOString(), status, syncedAt: expect.any(String) }]);
    expect(whole.days[0]!.day).toBe(cov.days.find((d) => d.calls > 0)!.day); // from the first day with calls
    expect(whole.days.at(-1)!.status).toBe('gap'); // today: synced only up to the last sync's start

    // A window wholly in the future covers nothing yet: the ledger does not change.
    const [future] = await syncAccounts(fx.ws, { http, from: '2099-01-01', to: '2099-01-02' });
    expect(future!.error).toBeNull();
    expect(lastRun(fx, 'PBX')).toMatchObject({ coveredFrom: null, coveredTo: null });
    expect(accountCoverage(fx.ws, 'PBX').ranges).toEqual(whole.ranges);
  });
});

describe('coverage ledger limits', () => {
  const fx = simulatorWorkspace(() => startPbxCdrSimulator({ seed: 10, calls: 5 }), ['Old']);

  it('lists at most MAX_COVERAGE_DAYS days: the latest by default, a longer range asked for is refused', () => {
    const id = fx.ws.accounts.get('Old').id;
    fx.ws.db.prepare(`INSERT INTO sync_runs (account_id, started_at, finished_at, verdict, verdict_text, covered_from, covered_to)
      VALUES (?, ?, ?, 'complete', 'x', ?, ?)`).run(id, Date.now(), Date.now(), Date.UTC(2000, 0, 1), Date.now() - 1000);
    const c = accountCoverage(fx.ws, 'Old');
    expect(c.days).toHaveLength(MAX_COVERAGE_DAYS);
    expect(c.ranges.map((r) => r.status)).toEqual(['complete']);
    expect(c.days.at(-2)!.status).toBe('complete');
    expect(() => accountCoverage(fx.ws, 'Old', { from: '2000-01-01' })).toThrow(/account "Old": at most 3660 days at once \(asked 2000-01-01\.\./);
    expect(() => accountCoverage(fx.ws, 'Old', { from: '2024-10-02', to: '2024-10-01' })).toThrow('account "Old": the first day 2024-10-02 is after the last 2024-10-01');
  });
});

/** The Bucharest day of an ISO instant. */
function formatDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}
