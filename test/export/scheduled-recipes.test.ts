// The scheduled-report recipes of docs/user-guide.md, run as written: the shell script, the cron command line,
// the launchd job's arguments and the Windows script's commands, each as real processes (`cdr-desk` on the PATH
// is this checkout's bin/cdr-desk.js) against a PBX simulator on 127.0.0.1 whose calls run up to now. Each must
// leave "<account> <yesterday>.xlsx" holding exactly the calls of yesterday in the account's zone.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { dayInZone } from '../../electron/data/time/relative-day.ts';
import { formatWall } from '../../electron/data/time/zone.ts';
import { CLI_BIN, runCliAsync, type CliRun } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';
import { openpyxlMissing, readXlsx } from './readers.ts';

const ROOT = join(import.meta.dirname, '../..');
const GUIDE = readFileSync(join(ROOT, 'docs/user-guide.md'), 'utf8');
const ACCOUNT = 'Bucharest PBX';
const DAY = 86_400_000;

/** The code block that follows `<!-- recipe: NAME -->` in the user guide. */
function recipe(name: string): string {
  const m = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(GUIDE);
  if (!m) throw new Error(`docs/user-guide.md has no recipe "${name}"`);
  return m[1]!;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Async: the simulator answers from this process's event loop. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('scheduled-report recipes (docs/user-guide.md)', { timeout: 180_000 }, () => {
  let sim: RunningSimulator;
  let shims: string;
  let base: NodeJS.ProcessEnv;
  let yesterday: string;
  let expectedRows: number;

  beforeAll(async () => {
    const now = Date.now();
    sim = await startPbxCdrSimulator({ seed: 19, calls: 300, start: now - 3 * DAY, end: now });
    const dir = tempDir();
    shims = join(dir, 'shims');
    mkdirSync(shims);
    // `cdr-desk` as `npm link` would put it on the PATH.
    writeFileSync(join(shims, 'cdr-desk'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`);
    chmodSync(join(shims, 'cdr-desk'), 0o755);
    base = { CDR_DESK_DATA_DIR: join(dir, 'data'), CDR_DESK_KEY_FILE: isolatedKeyFile(), LANG: 'C.UTF-8' };
    const secrets = Object.entries(sim.secrets).flatMap(([k, v]) => ['--secret', `${k}=${v}`]);
    const added = await runCliAsync(['accounts', 'add', ACCOUNT, '--provider', 'pbx-cdr', '--base-url', sim.baseUrl,
      '--timezone', sim.timezone, ...secrets], base);
    expect(added.status, added.stderr).toBe(0);
    yesterday = dayInZone(sim.timezone, now, 1);
    expectedRows = sim.expected.filter((c) => c.startedAt && formatWall(sim.timezone, Date.parse(c.startedAt)).startsWith(yesterday)).length;
    expect(expectedRows).toBeGreaterThan(10);
  });
  afterAll(() => sim?.close());

  /** A fresh home folder holding the shell script as the guide says to save it. */
  function home(): string {
    const h = tempDir('cdr-desk-home-');
    mkdirSync(join(h, 'bin'));
    writeFileSync(join(h, 'bin/cdr-morning.sh'), recipe('sh'));
    chmodSync(join(h, 'bin/cdr-morning.sh'), 0o755);
    return h;
  }

  /** The report the job must leave: the one dated file, with yesterday's calls. */
  function expectReport(h: string, r: Run): void {
    expect(r.status, r.stderr).toBe(0);
    const reports = join(h, 'CDR reports');
    expect(readdirSync(reports)).toEqual([`${ACCOUNT} ${yesterday}.xlsx`]);
    if (openpyxlMissing) return;
    const calls = readXlsx(join(reports, `${ACCOUNT} ${yesterday}.xlsx`)).sheets[0]!;
    expect(calls.rows.length - 1).toBe(expectedRows);
    for (const row of calls.rows.slice(1)) expect(String(row[8]!.v)).toMatch(new RegExp(`^${yesterday}`)); // Started, local
  }

  it('the script syncs, then writes "<account> <yesterday>.xlsx"', async () => {
    const h = home();
    const r = await run('/bin/sh', [join(h, 'bin/cdr-morning.sh')], { ...base, HOME: h, PATH: `${shims}:/usr/bin:/bin` });
    expectReport(h, r);
    expect(r.stderr).toMatch(new RegExp(`exported ${expectedRows} calls of account "${ACCOUNT}"`));
  });

  it('the script stops before exporting when the sync fails', async () => {
    const h = home();
    const script = recipe('sh').replace('ACCOUNT="Bucharest PBX"', 'ACCOUNT="No such account"');
    writeFileSync(join(h, 'bin/cdr-morning.sh'), script);
    const r = await run('/bin/sh', [join(h, 'bin/cdr-morning.sh')], { ...base, HOME: h, PATH: `${shims}:/usr/bin:/bin` });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/No such account/);
    expect(readdirSync(join(h, 'CDR reports'))).toEqual([]);
  });

  it('cron: the crontab line runs the script with its PATH, logging to ~/cdr-morning.log', async () => {
    const lines = recipe('cron').trim().split('\n');
    const path = /^PATH=(.*)$/.exec(lines[0]!)![1]!;
    const fields = lines[1]!.trim().split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(['30', '6', '*', '*', '*']);
    const command = lines[1]!.trim().replace(/^(\S+\s+){5}/, '');
    const h = home();
    // cron runs the command with /bin/sh and the crontab's PATH (here with the shim folder in front).
    const r = await run('/bin/sh', ['-c', command], { ...base, HOME: h, PATH: `${shims}:${path}` });
    expectReport(h, r);
    expect(readFileSync(join(h, 'cdr-morning.log'), 'utf8')).toMatch(/exported \d+ calls/);
  });

  it.skipIf(!existsSync('/usr/bin/python3'))('launchd: the plist is valid and its arguments run the script daily at 06:30', async () => {
    const plist = join(tempDir(), 'job.plist');
    writeFileSync(plist, recipe('launchd'));
    const parsed = spawnSync('/usr/bin/python3', ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', plist], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    const job = JSON.parse(parsed.stdout) as { ProgramArguments: string[]; EnvironmentVariables: { PATH: string }; StartCalendarInterval: object };
    expect(job.StartCalendarInterval).toEqual({ Hour: 6, Minute: 30 });
    const [program, ...args] = job.ProgramArguments;
    const h = home();
    const r = await run(program!, args, { ...base, HOME: h, PATH: `${shims}:${job.EnvironmentVariables.PATH}` });
    expectReport(h, r);
  });

  it('Windows: the .cmd script\'s commands, with %VARIABLES% expanded and \\ read as this system\'s separator', async () => {
    const h = home();
    const vars: Record<string, string> = { USERPROFILE: h };
    const expand = (s: string) => s.replace(/%(\w+)%/g, (_, k: string) => vars[k] ?? `%${k}%`).replaceAll('\\', '/');
    /** cmd's quoting: double quotes group words and are removed. */
    const words = (s: string) => [...s.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    let last: CliRun = { status: 0, signal: null, stdout: '', stderr: '' };
    for (const line of recipe('cmd').trim().split('\r\n').join('\n').split('\n')) {
      let m: RegExpExecArray | null;
      if (line === '@echo off' || /^rem /.test(line)) continue;
      if ((m = /^set (\w+)=(.*)$/.exec(line))) vars[m[1]!] = expand(m[2]!);
      else if ((m = /^if not exist "([^"]+)" mkdir "([^"]+)"$/.exec(line))) {
        if (!existsSync(expand(m[1]!))) mkdirSync(expand(m[2]!), { recursive: true });
      } else if ((m = /^call cdr-desk (.*?)( \|\| exit \/b 1)?$/.exec(line))) {
        last = await runCliAsync(words(expand(m[1]!)), { ...base, HOME: h, PATH: '/usr/bin:/bin' }, { onlyEnv: true });
        if (m[2] && last.status !== 0) break;
      } else throw new Error(`the Windows recipe has a line this test does not run: ${line}`);
    }
    expectReport(h, last);
  });
});
