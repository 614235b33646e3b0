// Secrets never leave the secret store: one account per provider with the simulator's real secrets, one more with
// wrong but distinctive ones, all added, synced (the wrong ones fail), listed, searched, checked and exported with
// the CLI as real processes. Then every file in the data folder (database, WAL, secrets.json, backups, anything),
// every export file and every byte the processes printed are scanned for each secret value: as is, base64 (at
// every alignment) and URL-encoded. Usernames are not scanned: they are login names that errors name on purpose
// (Sarv: `refused ... for user "x"`), not credentials.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../electron/data/providers/adapters.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { runCliAsync, type CliRun } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const providers = (Object.keys(SIMULATORS) as ProviderId[]).filter((p) => ADAPTERS[p]).sort();

/** The forms a secret could leak in: plain, URL-encoded, base64 at each of the three byte alignments. */
function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')]);
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), Buffer.from(secret)]).toString('base64');
    const core = b64.slice(k ? 4 : 0, -4); // drop the groups that mix in neighbouring bytes
    if (core.length >= 8) out.add(core);
  }
  return [...out];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets never leave the secret store', { timeout: 240_000 }, () => {
  const sims = new Map<ProviderId, RunningSimulator>();
  const runs: { what: string; run: CliRun }[] = [];
  const secrets: { account: string; key: string; value: string }[] = [];
  let dataDir: string;
  let exportDir: string;
  let env: Record<string, string>;

  async function run(what: string, args: string[]): Promise<CliRun> {
    const r = await runCliAsync(['--data-dir', dataDir, ...args], env);
    runs.push({ what, run: r });
    return r;
  }

  beforeAll(async () => {
    env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
    dataDir = tempDir();
    exportDir = tempDir();
    for (const p of providers) sims.set(p, await SIMULATORS[p]({ seed: 11, calls: 40 }));
  });
  afterAll(async () => {
    for (const s of sims.values()) await s.close();
  });

  it('adds, syncs, fails, lists, searches, checks and exports through the CLI', async () => {
    for (const p of providers) {
      const sim = sims.get(p)!;
      const wrong = Object.fromEntries(Object.keys(sim.secrets).map((k) => [k, k === 'username' ? sim.secrets[k]! : `Wr0ng-${p}-${k}-${randomBytes(9).toString('base64url')}`]));
      for (const [name, values] of [[`${p} good`, sim.secrets], [`${p} wrong`, wrong]] as const) {
        for (const [key, value] of Object.entries(values)) if (key !== 'username') secrets.push({ account: name, key, value });
        const add = await run(`accounts add ${name}`, ['accounts', 'add', name, '--provider', p, '--base-url', sim.baseUrl, '--timezone', sim.timezone,
          ...Object.entries(values).flatMap(([k, v]) => ['--secret', `${k}=${v}`])]);
        expect(add.status, add.stderr).toBe(0);
      }
    }
    expect(secrets.length).toBeGreaterThanOrEqual(2 * providers.length);

    for (const p of providers) {
      const sim = sims.get(p)!;
      const byId = PROVIDERS[p].listing === 'by-id';
      const idsArgs: string[] = [];
      if (byId) {
        const file = join(exportDir, `${p}-ids.txt`);
        writeFileSync(file, sim.ids.join('\n'));
        idsArgs.push('--ids', file);
      }
      const good = await run(`sync ${p} good`, ['sync', `${p} good`, '--json', ...idsArgs]);
      expect(good.status, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout).accounts[0].inserted).toBeGreaterThan(0);
      const bad = await run(`sync ${p} wrong`, ['sync', `${p} wrong`, ...idsArgs]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(`account "${p} wrong"`);
      const csv = await run(`export ${p} csv`, ['export', '--account', `${p} good`, '--format', 'csv', '--out', join(exportDir, `${p}.csv`)]);
      expect(csv.status, csv.stderr).toBe(0);
      const xlsx = await run(`export ${p} xlsx`, ['export', '--account', `${p} good`, '--format', 'xlsx', '--out', join(exportDir, `${p}.xlsx`)]);
      expect(xlsx.status, xlsx.stderr).toBe(0);
    }
    for (const args of [['accounts', 'list', '--json'], ['accounts', 'list'], ['search', '--json', '--limit', '50'], ['doctor', '--json'], ['doctor']]) {
      await run(args.join(' '), args);
    }
    const list = JSON.parse(runs.find((r) => r.what === 'accounts list --json')!.run.stdout);
    const wrongOnes = (list.accounts ?? list).filter((a: { name: string }) => a.name.endsWith(' wrong'));
    expect(wrongOnes).toHaveLength(providers.length);
    for (const a of wrongOnes) expect(a.lastError).toBeTruthy(); // the failure is recorded (and scanned below)
  }, 120_000);

  it('no secret, in any form, is in the data folder, the exports or anything the CLI printed', () => {
    const haystacks: { where: string; text: string }[] = [
      ...[...filesUnder(dataDir), ...filesUnder(exportDir)].map((f) => ({ where: f, text: readFileSync(f).toString('latin1') })),
      ...runs.flatMap(({ what, run }) => [{ where: `stdout of ${what}`, text: run.stdout }, { where: `stderr of ${what}`, text: run.stderr }]),
    ];
    expect(haystacks.some((h) => h.where.endsWith('secrets.json'))).toBe(true);
    expect(haystacks.some((h) => h.where.endsWith('cdr-desk.sqlite'))).toBe(true);
    const found: string[] = [];
    for (const s of secrets) {
      for (const form of forms(s.value)) {
        const latin1 = Buffer.from(form, 'utf8').toString('latin1'); // files are read byte for byte
        for (const h of haystacks) if (h.text.includes(form) || h.text.includes(latin1)) found.push(`${s.account} ${s.key} as "${form}" in ${h.where}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the scan finds a secret when one is there (the check itself works)', () => {
    const s = secrets[0]!;
    const leak = `token=${encodeURIComponent(s.value)}; auth=${Buffer.from(`x:${s.value}`).toString('base64')}`;
    expect(forms(s.value).some((f) => leak.includes(f))).toBe(true);
    expect(forms(s.value).filter((f) => Buffer.from(`x:${s.value}`).toString('base64').includes(f)).length).toBeGreaterThan(0);
  });
});
