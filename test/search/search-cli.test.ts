// `cdr-desk search`, `summary` and `saved` as scripts use them: real processes over a real data folder.
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { seedWorkspace } from '../helpers/synthetic.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const keyFile = isolatedKeyFile();
const dataDir = tempDir();

function cli(...args: string[]) {
  const r = runCli(['--data-dir', dataDir, ...args], { CDR_DESK_KEY_FILE: keyFile });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

beforeAll(async () => {
  const ws = openWorkspace(dataDir);
  await seedWorkspace(ws, 150, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1));
  ws.close();
});

describe('cdr-desk search', () => {
  it('--json prints {"total","rows"} with the default limit of 100', () => {
    const r = cli('search', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = r.json();
    expect(Object.keys(out)).toEqual(['total', 'rows']);
    expect(out.total).toBe(600);
    expect(out.rows).toHaveLength(100);
    expect(Object.keys(out.rows[0])).toEqual(['account', 'provider', 'callId', 'campaign', 'direction', 'source', 'destination', 'status',
      'providerStatus', 'startedAt', 'answeredAt', 'endedAt', 'durationSec', 'billSec', 'keypress', 'agent', 'recording', 'contact', 'cost', 'currency', 'costNote', 'raw']);
  });

  it('filters, sorts and pages like the engine', () => {
    const args = ['search', '--account', 'Saigon Autocall', '--status', 'answered', '--status', 'busy', '--min-duration', '10', '--sort', 'durationSec:desc', '--json'];
    const all = cli(...args).json();
    expect(all.rows.every((r: { account: string; status: string; durationSec: number }) =>
      r.account === 'Saigon Autocall' && ['answered', 'busy'].includes(r.status) && r.durationSec >= 10)).toBe(true);
    const durations = all.rows.map((r: { durationSec: number }) => r.durationSec);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    const page2 = cli(...args, '--limit', '5', '--offset', '5').json();
    expect(page2.total).toBe(all.total);
    expect(page2.rows.map((r: { callId: string }) => r.callId)).toEqual(all.rows.slice(5, 10).map((r: { callId: string }) => r.callId));
  });

  it('fails with one line and a non-zero status on bad input', () => {
    const cases: [string[], RegExp, number][] = [
      [['search', '--status', 'answerd'], /unknown status "answerd"/, 1],
      [['search', '--from', '31/12/2024'], /--from "31\/12\/2024" is not a date/, 1],
      [['search', '--sort', 'colour'], /unknown sort field "colour"/, 1],
      [['search', '--account', 'Nowhere'], /account "Nowhere": no such account/, 1],
      [['search', '--from', '2024-02-01', '--to', '2024-01-01'], /is not before/, 1],
      [['search', '--limit', 'ten'], /--limit takes a whole number/, 2],
      [['search', '--colour', 'red'], /Unknown option/, 2],
    ];
    for (const [args, message, status] of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('cdr-desk saved and search --saved', () => {
  it('saves, lists, reuses and deletes a named search', () => {
    expect(cli('saved', 'save', 'Tehran busy', '--account', 'Tehran Dialer', '--status', 'busy', '--sort', 'durationSec').status).toBe(0);
    expect(cli('saved', 'list', '--json').json()).toEqual([
      expect.objectContaining({ name: 'Tehran busy', filter: { accounts: ['Tehran Dialer'], statuses: ['busy'] }, sort: { field: 'durationSec', desc: false } }),
    ]);
    const viaSaved = cli('search', '--saved', 'Tehran busy', '--json').json();
    const direct = cli('search', '--account', 'Tehran Dialer', '--status', 'busy', '--sort', 'durationSec', '--json').json();
    expect(viaSaved).toEqual(direct);
    expect(viaSaved.total).toBeGreaterThan(0);
    // Options given on the command line replace the saved ones.
    expect(cli('search', '--saved', 'Tehran busy', '--status', 'answered', '--json').json().rows.every((r: { status: string }) => r.status === 'answered')).toBe(true);
    expect(cli('saved', 'delete', 'tehran BUSY').status).toBe(0);
    const gone = cli('search', '--saved', 'Tehran busy');
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/no saved search named "Tehran busy"/);
  });
});

describe('cdr-desk summary', () => {
  it('--json prints {"rows":[...]} with the documented keys, by campaign by default', () => {
    const r = cli('summary', '--json');
    expect(r.status, r.stderr).toBe(0);
    const { rows } = r.json();
    expect(rows[0]).toEqual(expect.objectContaining({ key: expect.any(String), total: expect.any(Number), answered: expect.any(Number),
      no_answer: expect.any(Number), busy: expect.any(Number), failed: expect.any(Number), answerRate: expect.any(Number),
      avgTalkSec: expect.any(Number), billSec: expect.any(Number), billMinutes: expect.any(Number) }));
    expect(rows.reduce((s: number, x: { total: number }) => s + x.total, 0)).toBe(600);
  });

  it('groups by hour in --tz and refuses unknown groupings and zones', () => {
    const hours = cli('summary', '--by', 'hour', '--tz', 'UTC', '--account', 'Pune Voice', '--json').json().rows;
    expect(hours.map((h: { key: string }) => h.key)).toEqual([...hours.map((h: { key: string }) => h.key)].sort());
    expect(hours.every((h: { key: string }) => /^\d\d$/.test(h.key))).toBe(true);
    expect(cli('summary', '--by', 'year').stderr).toMatch(/unknown grouping "year"/);
    expect(cli('summary', '--by', 'day', '--tz', 'Nowhere/Land').stderr).toMatch(/unknown time zone/);
  });

  it('--provider-reported prints the provider\'s report beside ours, for tel4vn-v3 accounts only', () => {
    const r = cli('summary', '--account', 'Saigon Autocall', '--provider-reported', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.json()).toEqual({ account: 'Saigon Autocall', reason: expect.stringMatching(/every dialling attempt/), rows: [] });
    const other = cli('summary', '--account', 'Pune Voice', '--provider-reported');
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/account "Pune Voice": provider sarv-voice publishes no campaign report/);
  });
});
