// Provider faults the conformance suite does not inject: hung answers, bodies that stall past the body timeout,
// answers larger than maxBodyBytes, and records with wrong types, missing or extra fields. Each provider syncs
// from its real simulator on 127.0.0.1 into a real SQLite file; a second account on a clean simulator syncs in
// the same run and must be unaffected; the faulted account's cache must keep what it had and hold nothing that
// differs from the provider's truth.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE } from '../../electron/data/providers/conformance.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { startSarvVoiceSim } from '../../electron/data/providers/sarv-voice/simulator.ts';
import type { FaultPlan } from '../../electron/data/providers/simulation/faults.ts';
import type { ExpectedCall, RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { syncAccounts, type AccountSyncResult, type SyncOptions } from '../../electron/data/sync/engine.ts';
import { PROVIDERS } from '../../electron/shared/providers.ts';
import { cachedCalls, differences, SIMULATED_PROVIDERS } from '../helpers/provider-oracle.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { simulatorWorkspace } from '../helpers/simulator-workspace.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Short timeouts so a hung answer costs half a second per try; 2 MiB is far above any real page here. */
const HTTP: SyncOptions['http'] = {
  backoffMs: 5,
  maxBackoffMs: 50,
  retries: 2,
  headersTimeoutMs: 500,
  bodyTimeoutMs: 500,
  maxBodyBytes: 2 * 1024 * 1024,
};
/** "Bounded": far above what any of these runs needs, far below a hang. */
const BOUND_MS = 20_000;

const providers = SIMULATED_PROVIDERS;

/** Every row cached is exactly the provider's (a subset of the truth, nothing half-parsed). */
function notInTruth(cached: ExpectedCall[], truth: ExpectedCall[]): string[] {
  const t = new Map(truth.map((c) => [c.callId, c]));
  return differences(cached, cached.map((c) => t.get(c.callId) ?? ({ ...c, callId: `unknown ${c.callId}` } as ExpectedCall)));
}

for (const provider of providers) {
  // Retries and backoffs make some of these take seconds; a loaded CI machine doubles that.
  describe(`provider faults: ${provider}`, { timeout: 90_000 }, () => {
    const byId = PROVIDERS[provider].listing === 'by-id';
    // fx.sim serves the faults; fx.alongside is the clean simulator.
    const fx = simulatorWorkspace(() => SIMULATORS[provider]({ seed: 11, calls: 240 }), [], {
      alongside: () => SIMULATORS[provider]({ seed: 12, calls: 120 }),
    });
    let n = 0;

    async function addAccount(on: RunningSimulator, label: string): Promise<string> {
      const name = `${provider} ${label} ${++n}`;
      await fx.addAccount(name, { on });
      return name;
    }

    /**
     * An account on the faulty simulator synced cleanly, then 6 calls added at the provider; then `plan` is
     * served while that account and a fresh one on the clean simulator sync in one run.
     */
    async function faultedRun(plan: FaultPlan): Promise<{ name: string; before: ExpectedCall[]; r: AccountSyncResult; other: AccountSyncResult; otherName: string; ms: number }> {
      fx.sim.faults.set({});
      const name = await addAccount(fx.sim, 'faulted');
      const [base] = await syncAccounts(fx.ws, { accounts: [name], http: HTTP, ...(byId ? { ids: fx.sim.ids } : {}) });
      expect(base!.error).toBeNull();
      const before = cachedCalls(fx.ws, name);
      expect(before.length).toBeGreaterThan(0);
      const added = fx.sim.mutate('add', 6);
      expect(added.length).toBeGreaterThan(0);
      const otherName = await addAccount(fx.alongside, 'clean');
      fx.sim.faults.set(plan);
      const served = fx.sim.faults.served.length;
      const t0 = Date.now();
      const results = await syncAccounts(fx.ws, {
        accounts: [name, otherName],
        http: HTTP,
        ...(byId ? { idsByAccount: { [name]: added.map((c) => c.callId), [otherName]: fx.alongside.ids } } : {}),
      });
      const ms = Date.now() - t0;
      fx.sim.faults.set({});
      // The fault was really served (a test of nothing otherwise).
      expect(fx.sim.faults.served.length).toBeGreaterThan(served);
      const r = results.find((x) => x.name === name)!;
      const other = results.find((x) => x.name === otherName)!;
      return { name, before, r, other, ms, otherName };
    }

    function expectOtherUnaffected(other: AccountSyncResult, otherName: string): void {
      expect(other.error).toBeNull();
      expect(differences(cachedCalls(fx.ws, otherName), fx.alongside.expected)).toEqual([]);
    }

    /** The cache kept every row it had, unchanged, and holds nothing that is not exactly the provider's. */
    function expectCacheIntact(name: string, before: ExpectedCall[]): void {
      const after = cachedCalls(fx.ws, name);
      const afterById = new Map(after.map((c) => [c.callId, c]));
      expect(differences(before.map((c) => afterById.get(c.callId) ?? ({ ...c, callId: `lost ${c.callId}` } as ExpectedCall)), before)).toEqual([]);
      expect(notInTruth(after, fx.sim.expected)).toEqual([]);
    }

    it('one hung answer: retried after the headers timeout, the sync completes exactly', async () => {
      const { name, r, other, otherName, ms } = await faultedRun({ queue: [{ kind: 'hang' }] });
      expect(r.error).toBeNull();
      expect(differences(cachedCalls(fx.ws, name), fx.sim.expected)).toEqual([]);
      expect(ms).toBeLessThan(BOUND_MS);
      expectOtherUnaffected(other, otherName);
    });

    it('every answer hung: a per-account "did not answer in time" error within a bounded time, cache unchanged', async () => {
      const { name, before, r, other, otherName, ms } = await faultedRun({ every: { n: 1, fault: { kind: 'hang' } } });
      expect(r.error).toContain(`account "${name}"`);
      expect(r.error).toMatch(/did not answer in time/);
      expect(r.error).toMatch(/failed after 3 tries/);
      expect(ms).toBeLessThan(BOUND_MS);
      expect(cachedCalls(fx.ws, name)).toEqual(before);
      expect(fx.ws.accounts.get(name).lastError).toBe(r.error);
      expectOtherUnaffected(other, otherName);
    });

    it('a body slower than the body timeout, once: retried, the sync completes exactly', async () => {
      const { name, r, other, otherName, ms } = await faultedRun({ queue: [{ kind: 'stall', delayMs: 3000 }] });
      expect(r.error).toBeNull();
      expect(differences(cachedCalls(fx.ws, name), fx.sim.expected)).toEqual([]);
      expect(ms).toBeLessThan(BOUND_MS);
      expectOtherUnaffected(other, otherName);
    });

    it('every body slower than the body timeout: a per-account "stalled" error within a bounded time, cache unchanged', async () => {
      const { name, before, r, other, otherName, ms } = await faultedRun({ every: { n: 1, fault: { kind: 'stall', delayMs: 3000 } } });
      expect(r.error).toContain(`account "${name}"`);
      expect(r.error).toMatch(/stalled before it was complete/);
      expect(ms).toBeLessThan(BOUND_MS);
      expect(cachedCalls(fx.ws, name)).toEqual(before);
      expectOtherUnaffected(other, otherName);
    });

    it('an answer larger than maxBodyBytes: a clear per-account error, not retried, cache intact', async () => {
      const memBefore = process.memoryUsage().rss;
      const { name, before, r, other, otherName, ms } = await faultedRun({ queue: [{ kind: 'huge', bytes: 24 * 1024 * 1024 }] });
      expect(r.error).toContain(`account "${name}"`);
      expect(r.error).toMatch(/larger than 2 MiB/);
      expect(ms).toBeLessThan(BOUND_MS);
      // The client stopped reading at 2 MiB: it did not hold the 24 MiB answer.
      expect(process.memoryUsage().rss - memBefore).toBeLessThan(200 * 1024 * 1024);
      expectCacheIntact(name, before);
      expectOtherUnaffected(other, otherName);
      // Nothing lost: the next sync is exact.
      const [again] = await syncAccounts(fx.ws, { accounts: [name], http: HTTP, ...(byId ? { ids: fx.sim.ids } : {}) });
      expect(again!.error).toBeNull();
      expect(differences(cachedCalls(fx.ws, name), fx.sim.expected)).toEqual([]);
    });

    it('extra fields in every record and envelope are ignored: the sync is exact', async () => {
      const { name, r, other, otherName } = await faultedRun({ every: { n: 1, fault: { kind: 'mangle', mode: 'extra' } } });
      expect(r.error).toBeNull();
      expect(differences(cachedCalls(fx.ws, name), fx.sim.expected)).toEqual([]);
      expectOtherUnaffected(other, otherName);
    });

    it('"duration" of the wrong type (an object): a per-account error naming the field, nothing half-parsed cached', async () => {
      const { name, before, r, other, otherName } = await faultedRun({
        every: { n: 1, fault: { kind: 'mangle', mode: 'wrong-type', field: 'duration' } },
      });
      expect(r.error).toContain(`account "${name}"`);
      expect(r.error).toMatch(/duration/);
      expect(cachedCalls(fx.ws, name)).toEqual(before);
      expectOtherUnaffected(other, otherName);
    });

    // The provider's own profile (providers/<id>/conformance.ts): the field removed and the outcome by design.
    const missing = CONFORMANCE[provider].missingField;
    it(`"${missing?.field}" missing from every record: ${missing?.outcome === 'error' ? 'a per-account error naming it' : missing?.outcome === 'skipped' ? 'the row is not a call (by design)' : 'stored as null (by design)'}`, async () => {
      expect(missing).toBeDefined();
      const { name, before, r, other, otherName } = await faultedRun({
        every: { n: 1, fault: { kind: 'mangle', mode: 'missing', field: missing!.field } },
      });
      expectOtherUnaffected(other, otherName);
      if (missing!.outcome === 'error') {
        expect(r.error).toContain(`account "${name}"`);
        expect(r.error).toContain(`"${missing!.field}"`);
        expect(cachedCalls(fx.ws, name)).toEqual(before);
      } else if (missing!.outcome === 'skipped') {
        expect(r.error).toBeNull();
        expect(cachedCalls(fx.ws, name)).toEqual(before);
      } else {
        expect(r.error).toBeNull();
        // Every call read in this run (the new ones; a by-id provider re-reads remembered ones too) is the
        // provider's with those columns null; calls not read keep what they had.
        const nulls = Object.fromEntries(missing!.columns!.map((k) => [k, null]));
        const cached = cachedCalls(fx.ws, name);
        const old = new Set(before.map((c) => c.callId));
        const reRead = (c: ExpectedCall) => missing!.columns!.every((k) => c[k] === null);
        const want = new Map(cached.map((c) => [c.callId, c]));
        const expected = fx.sim.expected.map((c) => (!old.has(c.callId) || (want.has(c.callId) && reRead(want.get(c.callId)!)) ? { ...c, ...nulls } : c));
        expect(differences(cached, expected)).toEqual([]);
        expect(cached.filter((c) => !old.has(c.callId)).length).toBeGreaterThan(0);
      }
    });
  });
}

// A real `cdr-desk sync` process against sarv-voice, whose every request carries the token, failing in ways whose
// errors print the request URL (retries exhausted on an HTML proxy page) and a snippet of the answer (not JSON).
describe('cdr-desk sync: URLs and answers in errors are redacted', { timeout: 60_000 }, () => {
  const fx = simulatorWorkspace(() => startSarvVoiceSim({ seed: 31, calls: 40 }), ['Sarv']);
  let idsFile: string;

  beforeAll(() => {
    idsFile = join(tempDir(), 'ids.txt');
    writeFileSync(idsFile, fx.sim.ids.join('\n'));
  });

  async function cli(args: string[]): Promise<{ status: number | null; out: string }> {
    const r = await runCliAsync(['--data-dir', fx.ws.dataDir, ...args], { CDR_DESK_KEY_FILE: fx.keyFile });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  function filesUnder(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
  }

  const cases: [string, FaultPlan, RegExp][] = [
    ['an HTML page on every request (retries exhausted)', { every: { n: 1, fault: { kind: 'html', status: 200 } } }, /POST http:\/\/127\.0\.0\.1:\d+\/api\/voice\/fetch_report\.php failed after \d+ tries/],
    ['invalid JSON', { every: { n: 1, fault: { kind: 'invalid-json' } } }, /POST http:\/\/127\.0\.0\.1:\d+\/api\/voice\/fetch_report\.php: answer is not valid JSON \(HTTP 200, starts "/],
  ];
  for (const [label, plan, shape] of cases) {
    it(`${label}: the error names the account and the URL, the token is nowhere in the output or the data folder`, async () => {
      const token = fx.sim.secrets.token!;
      expect(token.length).toBeGreaterThan(8);
      fx.sim.faults.set(plan);
      const t0 = Date.now();
      const r = await cli(['sync', 'Sarv', '--ids', idsFile]);
      fx.sim.faults.set({});
      expect(Date.now() - t0).toBeLessThan(40_000);
      expect(r.status).toBe(1);
      expect(r.out).toContain('account "Sarv"');
      expect(r.out).toMatch(shape);
      expect(r.out).not.toContain(token);
      expect(r.out).not.toContain(encodeURIComponent(token));
      const files = filesUnder(fx.ws.dataDir);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const bytes = readFileSync(f);
        expect(bytes.includes(Buffer.from(token)), `${f} holds the token`).toBe(false);
      }
    });
  }
});
