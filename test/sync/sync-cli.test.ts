// `cdr-desk sync` and `cdr-desk demo` as scripts use them: real processes against simulators in this process,
// and a sync killed with SIGKILL midway that resumes exactly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToCdr, type CdrDbRow } from '../../electron/data/db/cdrs.ts';
import { ADAPTERS } from '../../electron/data/providers/adapters.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { THREAD_AFTER_ROWS } from '../../electron/data/sync/writer.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { cachedCalls, differences } from '../helpers/provider-oracle.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

describe('cdr-desk sync', { timeout: 120_000 }, () => {
  let sim: RunningSimulator;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    const keyFile = isolatedKeyFile();
    env = { CDR_DESK_KEY_FILE: keyFile };
    sim = await startPbxCdrSimulator({ seed: 21, calls: 230 });
    dataDir = tempDir();
    const ws = openWorkspace(dataDir);
    await ws.accounts.add({ name: 'Bucharest PBX', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
    await ws.accounts.add({ name: 'Broken PBX', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: { ...sim.secrets, token: 'expired' } });
    ws.close();
  });
  afterAll(() => sim.close());

  it('--json prints exactly the documented counts and exits 0; a second run fetches nothing new', async () => {
    const r = await runCliAsync(['--data-dir', dataDir, 'sync', 'Bucharest PBX', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // complete: true once the adapter states counts to check against, null (unverified) until then; never false.
    expect([true, null]).toContain(out.accounts[0].complete);
    expect(out).toEqual({
      accounts: [{ name: 'Bucharest PBX', fetched: 230, inserted: 230, updated: 0, notFound: 0, complete: out.accounts[0].complete, error: null }],
    });
    const again = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'sync', 'Bucharest PBX'], env)).stdout);
    expect(again.accounts[0]).toMatchObject({ inserted: 0, updated: 0, error: null });
  });

  it('exits 1 when any account failed, with one stderr line naming it, and still syncs the others', async () => {
    const r = await runCliAsync(['--data-dir', dataDir, 'sync', '--json'], env);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.accounts.map((a: { name: string }) => a.name)).toEqual(['Broken PBX', 'Bucharest PBX']);
    expect(out.accounts[1].error).toBeNull();
    expect(r.stderr.trim().split('\n')).toEqual([
      'cdr-desk: account "Broken PBX": pbx-cdr /api/cdr: Invalid API token (check the token and API key) (HTTP 401)',
    ]);
  });

  it('prints a line per account without --json, and no progress bar when stderr is not a terminal', async () => {
    const r = await runCliAsync(['--data-dir', dataDir, 'sync', 'Bucharest PBX'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Bucharest PBX: \d+ fetched, 0 new, 0 updated; (complete: .+|unverified: \d+ calls? stored that the provider gave no count for.*)\n$/);
    expect(r.stderr).toBe('');
  });

  it('usage mistakes exit 2; an unknown account exits 1 naming it', async () => {
    expect((await runCliAsync(['--data-dir', dataDir, 'sync', '--from', 'last week'], env)).status).toBe(2);
    expect((await runCliAsync(['--data-dir', dataDir, 'sync', '--bogus'], env)).status).toBe(2);
    const ids = join(dataDir, 'ids.txt');
    writeFileSync(ids, '123\n');
    const r = await runCliAsync(['--data-dir', dataDir, 'sync', 'Bucharest PBX', '--ids', ids], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--ids is for accounts whose provider reads calls by id/);
    const u = await runCliAsync(['--data-dir', dataDir, 'sync', 'Nowhere'], env);
    expect(u.status).toBe(1);
    expect(u.stderr).toBe('cdr-desk: account "Nowhere": no such account\n');
  });

  it('a sync killed (SIGKILL) midway keeps every committed page and the next run resumes exactly', async () => {
    const big = await startPbxCdrSimulator({ seed: 33, calls: 1200 });
    const dir = tempDir();
    const ws = openWorkspace(dir);
    try {
      await ws.accounts.add({ name: 'Killed', provider: 'pbx-cdr', baseUrl: big.baseUrl, timezone: big.timezone, secrets: big.secrets });
      const id = ws.accounts.get('Killed').id;
      const count = () => ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(id) as number;
      big.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 120 } } });
      const r = await runCliAsync(['--data-dir', dir, 'sync', '--json'], env, { killWhen: () => count() >= 300 });
      expect(r.signal).toBe('SIGKILL');
      const partial = count();
      expect(partial).toBeGreaterThanOrEqual(300);
      expect(partial).toBeLessThan(1200);
      expect(partial % 100).toBe(0); // whole pages only: a page and its cursor commit together
      big.faults.set({});
      const [again] = await syncAccounts(ws, { accounts: ['Killed'] });
      expect(again).toMatchObject({ error: null, inserted: 1200 - partial, updated: 0 });
      const a = ws.accounts.get('Killed');
      const rows = (ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ?').all(id) as CdrDbRow[]).map((x) => rowToCdr(x, a));
      const pick = (c: object) => JSON.stringify(c, ['callId', 'status', 'startedAt', 'endedAt', 'source', 'destination', 'durationSec', 'billSec', 'agent']);
      expect(rows.map(pick).sort()).toEqual(big.expected.map(pick).sort());
    } finally {
      ws.close();
      await big.close();
    }
  });
});

describe('a CLI sync killed while its commits run on the writer thread', { timeout: 180_000 }, () => {
  it('keeps whole pages only, and the next run inserts exactly the rest', async () => {
    const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
    const calls = THREAD_AFTER_ROWS + 12_000;
    const sim = await startPbxCdrSimulator({ seed: 21, calls });
    const dir = tempDir();
    const ws = openWorkspace(dir);
    try {
      await ws.accounts.add({ name: 'Threaded', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      const id = ws.accounts.get('Threaded').id;
      const count = () => ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(id) as number;
      // Slow answers keep commits small, so the kill lands between two of the thread's commits, well before the end.
      sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 80 } } });
      const past = THREAD_AFTER_ROWS + 2000; // more than in-line commits can hold: the thread has committed
      const r = await runCliAsync(['--data-dir', dir, 'sync', '--json'], env, { killWhen: () => count() >= past });
      sim.faults.set({});
      expect(r.signal).toBe('SIGKILL');
      const partial = count();
      expect(partial).toBeGreaterThanOrEqual(past);
      expect(partial).toBeLessThan(calls);
      expect(partial % 100).toBe(0); // whole pages only: pages and the last one's cursor commit together
      const [again] = await syncAccounts(ws, { accounts: ['Threaded'] });
      expect(again).toMatchObject({ error: null, inserted: calls - partial, updated: 0 });
      expect(differences(cachedCalls(ws, 'Threaded'), sim.expected)).toEqual([]);
    } finally {
      ws.close();
      await sim.close();
    }
  });
});

const byIdProvider = (Object.keys(SIMULATORS) as ProviderId[]).find((p) => PROVIDERS[p].listing === 'by-id');

describe('a CLI sync killed midway resumes exactly, for every provider', { timeout: 180_000 }, () => {
  const providers = (Object.keys(SIMULATORS) as ProviderId[]).filter((p) => ADAPTERS[p]).sort();
  for (const provider of providers) {
    it(`${provider}: SIGKILL after the first committed rows, then a re-run gives exactly the provider's calls`, async () => {
      const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
      // Paged providers get enough calls that the first commit (BATCH_ROWS calls or BATCH_WAIT_MS) is far from
      // the end even when pages arrive several at once.
      const sim = await SIMULATORS[provider]({ seed: 17, calls: PROVIDERS[provider].listing === 'by-id' ? 500 : 3000 });
      const dir = tempDir();
      const ws = openWorkspace(dir);
      try {
        await ws.accounts.add({ name: 'Killed', provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
        const id = ws.accounts.get('Killed').id;
        const count = () => ws.db.prepare('SELECT count(*) FROM cdrs WHERE account_id = ?').pluck().get(id) as number;
        const args = ['--data-dir', dir, 'sync', '--json'];
        if (sim.ids.length) {
          writeFileSync(join(dir, 'ids.txt'), sim.ids.join('\n'));
          args.push('--ids', join(dir, 'ids.txt'));
        }
        sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 150 } } });
        const r = await runCliAsync(args, env, { killWhen: () => count() > 0 });
        sim.faults.set({});
        expect(r.signal).toBe('SIGKILL');
        const partial = count();
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(sim.expected.length);
        const [again] = await syncAccounts(ws, { accounts: ['Killed'], ids: sim.ids, http: { backoffMs: 5 } });
        expect(again).toMatchObject({ error: null, inserted: sim.expected.length - partial, updated: 0 });
        const a = ws.accounts.get('Killed');
        const rows = (ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ?').all(id) as CdrDbRow[]).map((x) => rowToCdr(x, a));
        const keys = ['callId', 'status', 'providerStatus', 'direction', 'source', 'destination', 'campaign', 'startedAt', 'answeredAt', 'endedAt', 'durationSec', 'billSec', 'agent'];
        const pick = (c: object) => JSON.stringify(c, keys);
        expect(rows.map(pick).sort()).toEqual(sim.expected.map(pick).sort());
      } finally {
        ws.close();
        await sim.close();
      }
    });
  }
});

describe.skipIf(!byIdProvider)(`cdr-desk sync --ids FILE (${byIdProvider ?? 'no by-id simulator registered yet'})`, { timeout: 120_000 }, () => {
  it('reads the ids file, counts unknown ids as notFound (not fatal), and remembers the ids', async () => {
    const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
    const sim = await SIMULATORS[byIdProvider!]({ seed: 4, calls: 30 });
    const dir = tempDir();
    try {
      const ws = openWorkspace(dir);
      await ws.accounts.add({ name: 'By id', provider: byIdProvider!, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      ws.close();
      const file = join(dir, 'ids.csv');
      writeFileSync(file, `call id\n${sim.ids.join('\n')}\n`);
      const r = await runCliAsync(['--data-dir', dir, 'sync', '--ids', file, '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      const known = sim.ids.filter((id) => !sim.unknownIds.includes(id)).length;
      expect(JSON.parse(r.stdout).accounts[0]).toMatchObject({ name: 'By id', inserted: known, notFound: sim.unknownIds.length, error: null });
      const again = JSON.parse((await runCliAsync(['--data-dir', dir, 'sync', '--json'], env)).stdout).accounts[0];
      expect(again).toMatchObject({ inserted: 0, updated: 0, error: null });
    } finally {
      await sim.close();
    }
  });
});

describe('cdr-desk demo', { timeout: 120_000 }, () => {
  it('--no-serve adds a demo account per simulator, syncs them and exits; a re-run changes nothing', async () => {
    const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
    const dir = tempDir();
    const r = await runCliAsync(['--data-dir', dir, 'demo', '--no-serve', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { accounts: { name: string; provider: ProviderId; inserted: number; error: string | null }[]; serving: boolean };
    expect(out.serving).toBe(false);
    expect(out.accounts.map((a) => a.provider).sort()).toEqual(Object.keys(SIMULATORS).sort());
    for (const a of out.accounts) {
      expect(a.error).toBeNull();
      expect(a.inserted).toBeGreaterThan(0);
    }
    expect(out.accounts.find((a) => a.provider === 'pbx-cdr')?.name).toBe('Demo PBX (Bucharest)');
    const again = JSON.parse((await runCliAsync(['--data-dir', dir, 'demo', '--no-serve', '--json'], env)).stdout) as typeof out;
    for (const a of again.accounts) expect({ name: a.name, inserted: a.inserted, error: a.error }).toEqual({ name: a.name, inserted: 0, error: null });
    const ws = openWorkspace(dir);
    try {
      expect(ws.accounts.all().map((a) => a.provider).sort()).toEqual(Object.keys(SIMULATORS).sort());
      for (const a of ws.accounts.all()) expect(a.timezone).not.toBe('');
    } finally {
      ws.close();
    }
  });

  it('lists sync and demo in --help', async () => {
    const r = await runCliAsync(['--help'], {});
    expect(r.stdout).toMatch(/^ {2}sync /m);
    expect(r.stdout).toMatch(/^ {2}demo /m);
    expect(Object.keys(PROVIDERS)).toContain('pbx-cdr');
  });
});
