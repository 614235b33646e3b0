// Alerts over a real cache: five weeks of one weekday's calls written by CdrWriter for two campaigns, a planted
// answer-rate drop on one of them, found exactly (library and `cdr-desk alerts` as a real process); the rules'
// text in docs/alerts.md word for word.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAlerts } from '../../electron/data/alerts/alerts.ts';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { seededRng } from '../../electron/data/providers/simulation/random.ts';
import { zonedToEpochMs } from '../../electron/data/time/zone.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { ALERT_DEFINITIONS } from '../../electron/shared/alerts.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { makeCdr } from '../helpers/synthetic.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const ZONE = 'Asia/Tehran';
const DAY = '2026-12-05'; // a Saturday; baselines on the four Saturdays before
const ACCOUNT = 'Tehran Dialer';

/** ~300 calls of `campaign` through the local day `date`, answered with `rate`, talking about 90 s. */
function callsOn(date: string, campaign: string, rate: number, seed: number): NormalizedCdr[] {
  const r = seededRng(seed);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const start = zonedToEpochMs(ZONE, { year: y, month: m, day: d, hour: 0, minute: 0, second: 0 });
  return Array.from({ length: 290 + r.int(0, 20) }, (_, i) => {
    const answered = r.next() < rate;
    const billSec = answered ? r.int(30, 150) : 0;
    return makeCdr({ callId: `${campaign}-${date}-${i}`, campaign, status: answered ? 'answered' : 'no_answer', startedAt: start + r.int(0, 86_399) * 1000, billSec });
  });
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe('alerts over the cache', () => {
  let dataDir: string;
  const env = { CDR_DESK_KEY_FILE: isolatedKeyFile() };
  beforeAll(async () => {
    dataDir = tempDir();
    const ws = openWorkspace(dataDir);
    const a = await ws.accounts.add({ name: ACCOUNT, provider: 'autodialer-v4', baseUrl: 'http://127.0.0.1:9', timezone: ZONE, secrets: { apiKey: 'k', username: 'u', password: 'p' } });
    const writer = new CdrWriter(ws.db);
    let seed = 1;
    for (const back of [0, 7, 14, 21, 28]) {
      const date = shift(DAY, back);
      // The planted drop: "یادآوری اقساط" answers 25% on the day against 50% on the four Saturdays before.
      ws.db.transaction(() => {
        writer.write(a.id, callsOn(date, 'یادآوری اقساط', back === 0 ? 0.25 : 0.5, seed++));
        writer.write(a.id, callsOn(date, 'نظرسنجی', 0.45, seed++));
      })();
    }
    // Calls on other days must not count: a busy Friday before the day.
    ws.db.transaction(() => writer.write(a.id, callsOn(shift(DAY, 1), 'نظرسنجی', 0.1, 99)))();
    ws.close();
  });

  it('raises exactly the planted alert', () => {
    const ws = openWorkspace(dataDir);
    try {
      const alerts = findAlerts(ws, { day: DAY });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ account: ACCOUNT, campaign: 'یادآوری اقساط', day: DAY, kpi: 'answerRate', direction: 'down' });
      expect(alerts[0]!.value).toBeLessThan(0.3);
      expect(alerts[0]!.baseline).toBeGreaterThan(0.45);
      // The day before has no baseline weeks: nothing to say. The default day is yesterday in the account's zone.
      expect(findAlerts(ws, { day: shift(DAY, 1) })).toEqual([]);
      expect(findAlerts(ws, { now: Date.parse('2026-12-06T05:00:00Z') })).toEqual(alerts);
    } finally {
      ws.close();
    }
  });

  it('cdr-desk alerts --json prints the alerts and exits 0; a bad day or account is a clear failure', () => {
    const cli = (...args: string[]) => runCli(['--data-dir', dataDir, 'alerts', ...args], env);
    const r = cli('--account', ACCOUNT, '--day', DAY, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { alerts: Record<string, unknown>[] };
    expect(out.alerts.map((a) => Object.keys(a))).toEqual([['account', 'campaign', 'day', 'kpi', 'value', 'baseline', 'direction']]);
    const none = cli('--day', shift(DAY, 1), '--json');
    expect([none.status, JSON.parse(none.stdout)]).toEqual([0, { alerts: [] }]);
    const text = cli('--day', DAY);
    expect(text.stdout).toMatch(/^Tehran Dialer \/ یادآوری اقساط 2026-12-05: answer rate down to \d+\.\d% from \d+\.\d%\n$/);
    expect(cli('--day', '2026-13-01').stderr).toMatch(/--day "2026-13-01" is not a date/);
    expect(cli('--account', 'Nope').stderr).toMatch(/account "Nope": no such account/);
  });

  it('docs/alerts.md holds the rules word for word', () => {
    const doc = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
    const block = /<!-- alert definitions: begin -->\n([\s\S]*?)<!-- alert definitions: end -->/.exec(doc)?.[1] ?? '';
    expect(block.trim().split('\n').map((l) => l.replace(/^- /, ''))).toEqual(Object.values(ALERT_DEFINITIONS));
  });
});
