// `cdr-desk summary --by day|week|month --calendar gregorian|persian` as a script runs it: a real process over a
// real data folder holding calls around Nowruz 1403 (Wednesday 20 March 2024) in Tehran.
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const keyFile = isolatedKeyFile();
const dataDir = tempDir();
const cli = async (...args: string[]) => {
  const r = await runCliAsync(['--data-dir', dataDir, ...args], { CDR_DESK_KEY_FILE: keyFile });
  return { ...r, keys: () => (JSON.parse(r.stdout) as { rows: { key: string; total: number }[] }).rows.map((x) => [x.key, x.total]) };
};

beforeAll(async () => {
  const ws = openWorkspace(dataDir);
  const id = await addSyntheticAccount(ws, { name: 'Tehran', provider: 'pbx-cdr', timezone: 'Asia/Tehran', script: 'fa' });
  writeSynthetic(ws, id, [
    makeCdr({ callId: 'a', startedAt: Date.parse('2024-03-15T08:00:00Z') }), // Friday 25 Esfand 1402
    makeCdr({ callId: 'b', startedAt: Date.parse('2024-03-16T08:00:00Z') }), // Saturday 26 Esfand 1402
    makeCdr({ callId: 'c', startedAt: Date.parse('2024-03-19T20:40:00Z') }), // 00:10 (+03:30) on Nowruz, 1 Farvardin 1403
    makeCdr({ callId: 'd', startedAt: Date.parse('2024-03-23T08:00:00Z') }), // Saturday 4 Farvardin
  ]);
  ws.close();
});

describe('cdr-desk summary by calendar period', () => {
  it('--calendar persian: days, Saturday weeks and months in the Solar Hijri calendar', async () => {
    expect((await cli('summary', '--by', 'day', '--calendar', 'persian', '--json')).keys()).toEqual([
      ['1402-12-25', 1], ['1402-12-26', 1], ['1403-01-01', 1], ['1403-01-04', 1],
    ]);
    expect((await cli('summary', '--by', 'week', '--calendar', 'persian', '--json')).keys()).toEqual([
      ['1402-12-19', 1], ['1402-12-26', 2], ['1403-01-04', 1],
    ]);
    expect((await cli('summary', '--by', 'month', '--calendar', 'persian', '--json')).keys()).toEqual([['1402-12', 2], ['1403-01', 2]]);
  });

  it('Gregorian by default, weeks from Monday; --tz moves the days', async () => {
    expect((await cli('summary', '--by', 'week', '--json')).keys()).toEqual([['2024-03-11', 2], ['2024-03-18', 2]]);
    expect((await cli('summary', '--by', 'month', '--calendar', 'gregorian', '--json')).keys()).toEqual([['2024-03', 4]]);
    // In UTC the Nowruz call is still on 19 March = 29 Esfand.
    expect((await cli('summary', '--by', 'month', '--calendar', 'persian', '--tz', 'UTC', '--json')).keys()).toEqual([['1402-12', 3], ['1403-01', 1]]);
  });

  it('prints a table keyed by period, and refuses an unknown calendar', async () => {
    const table = await cli('summary', '--by', 'month', '--calendar', 'persian');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout.split('\n').slice(1, 3).map((l) => l.split('\t').slice(0, 2))).toEqual([['1402-12', '2'], ['1403-01', '2']]);
    const bad = await cli('summary', '--by', 'week', '--calendar', 'lunar');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--calendar takes gregorian or persian, got "lunar"/);
    const help = await cli('summary', '--help');
    expect(help.stdout).toMatch(/--calendar gregorian\|persian/);
  });
});
